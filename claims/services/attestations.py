"""Signed no-prior-coverage attestations standing in for a policy term."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import Agency, User
from claims.models import ReportTerm
from vault.documents import PDF_TYPE, document_create
from vault.models import Document, Insured
from vault.rules import policy_term_errors


@transaction.atomic
def attestation_create(
    *,
    agency: Agency,
    user: User | None,
    insured: Insured,
    uploaded_file: UploadedFile,
    term_start: dt.date,
    term_end: dt.date,
    line: str,
) -> ReportTerm:
    """A signed no-prior-coverage attestation standing in for a term. Raises ValidationError."""
    if insured.agency_id != agency.pk:
        raise ValueError("Another agency's insured.")
    term_errors = policy_term_errors(term_start, term_end)
    if term_errors:
        raise ValidationError(term_errors)
    try:
        document = document_create(
            agency=agency,
            uploaded_by=user,
            uploaded_file=uploaded_file,
            kind=Document.Kind.NO_PRIOR_COVERAGE,
            insured=insured,
            allowed_types=(PDF_TYPE,),
            refused_message="Upload the signed attestation as a PDF.",
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    return ReportTerm.objects.create(
        agency=agency,
        insured=insured,
        report=None,
        term_start=term_start,
        term_end=term_end,
        line=line,
        no_prior_coverage=True,
        attestation=document,
    )


@transaction.atomic
def attestation_delete(*, agency: Agency, term: ReportTerm) -> None:
    if term.agency_id != agency.pk or not term.no_prior_coverage:
        raise ValueError("Not an attestation of this agency.")
    term.delete()
