from django.urls import path

from helpdesk import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("common-mistakes/", views.common_mistakes, name="common_mistakes"),
    path("submit/<int:request_id>/", views.submit, name="submit"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
]
