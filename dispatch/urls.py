from django.urls import path

from dispatch import views

app_name = "dispatch"

urlpatterns = [
    path("vault/requests/<int:request_id>/send/", views.request_send, name="request_send"),
    path("vault/requests/<int:request_id>/signature/", views.signature_send, name="signature_send"),
    path("vault/requests/<int:request_id>/send/email/", views.send_email, name="send_email"),
    path("vault/requests/<int:request_id>/send/manual/", views.send_manual, name="send_manual"),
    path(
        "vault/requests/<int:request_id>/first-request-letter.pdf",
        views.first_request_letter,
        name="first_request_letter",
    ),
]
