from django.urls import path

from escalation import views

app_name = "escalation"

urlpatterns = [
    path(
        "vault/requests/<int:request_id>/kit/certified-letter.pdf",
        views.kit_letter,
        name="kit_letter",
    ),
    path(
        "vault/requests/<int:request_id>/kit/doi-complaint.pdf",
        views.kit_complaint,
        name="kit_complaint",
    ),
    path("carriers/", views.carrier_list, name="carrier_list"),
    path("carriers/<int:carrier_id>/figures/", views.carrier_figures, name="carrier_figures"),
]
