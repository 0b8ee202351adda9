"""Reads of the outbox."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from outbox.models import Email


def emails_about(*, obj: models.Model, agency: models.Model | None = None) -> QuerySet[Email]:
    """The e-mails about one object, newest first; with `agency`, only that agency's own
    (what an agency user may see: platform mail about the object is left out)."""
    qs = Email.objects.all() if agency is None else Email.objects.for_agency(agency)
    return qs.filter(
        about_type=ContentType.objects.get_for_model(obj), about_id=str(obj.pk)
    ).order_by("-created_at", "-id")


def emails_due(*, limit: int | None = None) -> list[int]:
    """Ids of every e-mail not sent yet and not cancelled, oldest first."""
    qs = Email.objects.filter(
        status__in=[Email.Status.PENDING, Email.Status.FAILED, Email.Status.SENDING]
    ).order_by("created_at", "id")
    ids = qs.values_list("id", flat=True)
    return list(ids[:limit] if limit else ids)
