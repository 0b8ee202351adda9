from django.urls import path

from esign import views, views_public

app_name = "esign"

urlpatterns = [
    path("sign/<str:signing_token>/", views_public.sign, name="sign"),
    path("sign/<str:signing_token>/letter.pdf", views_public.sign_letter, name="sign_letter"),
    path("vault/signatures/bulk/", views.signature_send_bulk, name="signature_send_bulk"),
    path(
        "vault/signatures/<int:signature_id>/revoke/",
        views.signature_revoke,
        name="signature_revoke",
    ),
]
