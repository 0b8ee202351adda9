"""Celery tasks of the claims app: ids in, one service call."""

from __future__ import annotations

import logging

from celery import shared_task

from claims import services
from claims.models import ImportJob, PdfImport

log = logging.getLogger(__name__)


def _job(job_id: int) -> ImportJob | None:
    return (
        ImportJob.objects.select_related("agency", "insured", "carrier", "document", "created_by")
        .filter(pk=job_id)
        .first()
    )


def _fail(job_id: int, exc: Exception) -> None:
    log.exception("Import %s failed", job_id)
    ImportJob.objects.filter(pk=job_id, status__in=ImportJob.RUNNING).update(
        status=ImportJob.Status.FAILED,
        message=f"The import stopped unexpectedly ({type(exc).__name__}).",
    )


@shared_task(acks_late=True)
def import_read(job_id: int) -> None:
    job = _job(job_id)
    if job is None or job.status != ImportJob.Status.READING:
        return
    try:
        services.import_job_read(job=job)
    except Exception as exc:
        _fail(job_id, exc)
        raise


@shared_task(acks_late=True)
def import_commit(job_id: int) -> None:
    job = _job(job_id)
    if job is None or job.status != ImportJob.Status.IMPORTING:
        return
    try:
        services.import_job_commit(job=job)
    except Exception as exc:
        _fail(job_id, exc)
        raise


@shared_task(acks_late=True)
def pdf_extract(job_id: int) -> None:
    job = (
        PdfImport.objects.select_related("agency", "carrier", "document")
        .filter(pk=job_id, status=PdfImport.Status.EXTRACTING)
        .first()
    )
    if job is None:
        return
    try:
        services.pdf_import_run(job=job)
    except Exception as exc:
        log.exception("PDF import %s failed", job_id)
        PdfImport.objects.filter(pk=job_id, status=PdfImport.Status.EXTRACTING).update(
            status=PdfImport.Status.FAILED,
            message=f"The PDF could not be read ({type(exc).__name__}).",
        )
        raise
