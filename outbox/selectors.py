"""TEMP outbox stand-in: replaced by the outbox branch at merge."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from outbox.models import Email


def emails_about(*, obj: models.Model) -> models.QuerySet[Email]:
    return Email.objects.filter(
        about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk
    ).order_by("-created_at", "-id")
