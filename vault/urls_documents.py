"""Documents, letters and bulk create, inside the "vault" namespace (see vault/urls.py)."""

from django.urls import path

from vault import views_documents as views

urlpatterns: list = [
    path(
        "vault/requests/<int:request_id>/documents/",
        views.document_upload,
        name="document_upload",
    ),
    path(
        "vault/documents/<int:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
    path(
        "vault/requests/<int:request_id>/authorization-letter.pdf",
        views.authorization_letter,
        name="authorization_letter",
    ),
    path(
        "vault/requests/<int:request_id>/second-request-letter.pdf",
        views.second_request_letter,
        name="second_request_letter",
    ),
    path("vault/bulk/", views.bulk_upload, name="bulk_upload"),
    path("vault/bulk/template.csv", views.bulk_template, name="bulk_template"),
    path("vault/bulk/<int:document_id>/", views.bulk_preview, name="bulk_preview"),
    path("vault/bulk/<int:document_id>/commit/", views.bulk_commit, name="bulk_commit"),
]
