"""Reads of the tracker for the vault: a request's notification history."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Agency
from accounts.tenancy import scoped
from tracker.models import Notification
from vault.models import LossRunRequest


def notifications_for_request(*, agency: Agency, request: LossRunRequest) -> QuerySet[Notification]:
    """The request's notices (sent, failed, pending, cancelled), oldest due first."""
    return scoped(Notification, agency).filter(request_id=request.pk).order_by("due_at", "id")
