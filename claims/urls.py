from django.urls import path

from claims import views, views_pdf

app_name = "claims"

urlpatterns = [
    path("", views.insured_list, name="insured_list"),
    path("insureds/<int:insured_id>/", views.insured_summary, name="insured_summary"),
    path("insureds/<int:insured_id>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("insureds/<int:insured_id>/import/", views.import_start, name="import_start"),
    path("insureds/<int:insured_id>/reports/new/", views.report_create, name="report_create"),
    path(
        "insureds/<int:insured_id>/no-prior-coverage/",
        views.attestation_create,
        name="attestation_create",
    ),
    path("imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:import_id>/mapping/", views.import_mapping, name="import_mapping"),
    path("imports/<int:import_id>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:import_id>/commit/", views.import_commit, name="import_commit"),
    path(
        "insureds/<int:insured_id>/import-pdf/",
        views_pdf.pdf_import_start,
        name="pdf_import_start",
    ),
    path("pdf-imports/<int:pdf_import_id>/", views_pdf.pdf_import_detail, name="pdf_import_detail"),
    path(
        "pdf-imports/<int:pdf_import_id>/progress/",
        views_pdf.pdf_import_progress,
        name="pdf_import_progress",
    ),
    path(
        "pdf-imports/<int:pdf_import_id>/pages/<int:page>.png",
        views_pdf.pdf_import_page,
        name="pdf_import_page",
    ),
    path(
        "pdf-imports/<int:pdf_import_id>/review/",
        views_pdf.pdf_import_review,
        name="pdf_import_review",
    ),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/delete/", views.report_delete, name="report_delete"),
    path("reports/<int:report_id>/terms/new/", views.term_create, name="term_create"),
    path("terms/<int:term_id>/edit/", views.term_edit, name="term_edit"),
    path("terms/<int:term_id>/claims/new/", views.claim_create, name="claim_create"),
    path(
        "terms/<int:term_id>/attestation/delete/",
        views.attestation_delete,
        name="attestation_delete",
    ),
    path("claims/<int:claim_id>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:claim_id>/delete/", views.claim_delete, name="claim_delete"),
]
