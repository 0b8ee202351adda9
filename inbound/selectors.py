"""Reads for the request page's "Carrier replies" section."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Agency
from accounts.tenancy import get_for_agency, scoped
from dispatch.models import CarrierSend
from inbound.models import InboundMessage
from vault.models import LossRunRequest


@dataclass(frozen=True)
class RequestReplies:
    messages: list[InboundMessage]
    attention: list[InboundMessage]
    not_delivered: list[CarrierSend]


def replies_for_request(*, agency: Agency, request: LossRunRequest) -> RequestReplies:
    """The request's received messages, newest first (with their documents), the ones that
    need the agent's attention, and its sends that bounced."""
    messages = list(
        scoped(InboundMessage, agency)
        .filter(request=request)
        .select_related("bounced_send", "acknowledged_by")
        .prefetch_related("documents")
        .order_by("-received_at", "-id")[:100]
    )
    return RequestReplies(
        messages=messages,
        attention=[m for m in messages if m.needs_attention],
        not_delivered=list(
            scoped(CarrierSend, agency)
            .filter(request=request, not_delivered_at__isnull=False)
            .order_by("-sent_at")
        ),
    )


def reply_get(*, agency: Agency, message_id: int) -> InboundMessage:
    return get_for_agency(
        InboundMessage.objects.select_related("request"), agency=agency, pk=message_id
    )
