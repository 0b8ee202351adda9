"""Reads for the request's "Signature and sending" page."""

from __future__ import annotations

from accounts.models import Agency
from accounts.tenancy import scoped
from dispatch.models import CarrierSend
from vault.models import LossRunRequest


def sends_for_request(*, agency: Agency, request: LossRunRequest) -> list[CarrierSend]:
    """Every send of the request, newest first, with its documents, sender and e-mail."""
    return list(
        scoped(CarrierSend, agency)
        .filter(request=request)
        .select_related("sent_by", "email")
        .prefetch_related("documents")
        .order_by("-sent_at", "-id")
    )
