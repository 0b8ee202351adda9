"""The uploaded CSV, kept as one of the agency's documents between preview and commit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.models import Agency
from vault.bulk.checks import bulk_parse
from vault.bulk.plan import BulkPlan
from vault.documents import CSV_TYPE, document_create, document_get, inspect_upload
from vault.models import Document


def bulk_file_store(*, agency: Agency, user, uploaded_file) -> Document:
    """Keep the uploaded CSV (as an agency document) until the preview is committed."""
    detected, _ = inspect_upload(uploaded_file)
    if detected.content_type != CSV_TYPE:
        raise ValidationError(
            f"This is a {detected.extension.upper()} file, not a CSV. In Excel use "
            "File › Save As › CSV UTF-8, then upload that file.",
            code="not_csv",
        )
    return document_create(
        agency=agency, uploaded_by=user, uploaded_file=uploaded_file, kind=Document.Kind.OTHER
    )


def bulk_file_get(*, agency: Agency, document_id: int) -> Document:
    document = document_get(agency=agency, document_id=document_id)
    if (
        document.kind != Document.Kind.OTHER
        or document.request_id is not None
        or document.content_type != CSV_TYPE
    ):
        raise Http404("No such import.")
    return document


def bulk_plan(*, agency: Agency, document: Document) -> BulkPlan:
    """The kept file's plan. The file is streamed: a page view reads at most MAX_ROWS rows,
    never the whole upload into memory."""
    with document.file.open("rb") as handle:
        return bulk_parse(agency=agency, data=handle)
