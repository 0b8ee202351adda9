"""Receiving one message: the webhook's signal receiver and `ingest_email` both call this.

Idempotent: the row is unique by Message-ID and by the hash of the raw message (database
constraints), and it is inserted before anything else is done, in the same transaction as
the effects. A second delivery, even one racing the first, fails on the constraint, rolls
back whatever it had begun and reports the first row: one message, one set of documents.
"""

from __future__ import annotations

from dataclasses import dataclass

from anymail.inbound import AnymailInboundMessage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from inbound import parsing
from inbound.models import InboundMessage
from inbound.routing import Match, route
from inbound.services.effects import apply_effects

Status = InboundMessage.Status


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    duplicate: bool

    def report(self) -> list[str]:
        """What was matched and done, one line each (printed by ingest_email)."""
        row = self.message
        lines = [f"Message {row.message_id or '(no Message-ID)'} from {row.from_address}"]
        if self.duplicate:
            lines.append(f"Already received on {row.received_at:%Y-%m-%d %H:%M} UTC: nothing done")
        lines.append(f"Kind: {row.get_kind_display()}. Status: {row.get_status_display()}.")
        if row.request_id:
            how = row.get_routed_by_display()
            lines.append(f"Request {row.request_id} of agency {row.agency_id}, matched by {how}")
        elif row.proposed_request_id:
            lines.append(
                f"Proposed for triage: request {row.proposed_request_id} ({row.proposal_reason})"
            )
        elif row.proposal_reason:
            lines.append(f"Not matched: {row.proposal_reason}")
        if not self.duplicate:
            lines += row.actions
        return lines


def _existing(message_id: str, sha256: str) -> InboundMessage | None:
    same = Q(content_sha256=sha256) | (Q(message_id=message_id) if message_id else Q(pk=None))
    earlier = InboundMessage.objects.filter(same)  # tenancy: Message-IDs and hashes are global
    return earlier.order_by("id").first()


def _kind(message: AnymailInboundMessage) -> str:
    if parsing.is_bounce(message):
        return InboundMessage.Kind.BOUNCE
    if parsing.is_auto_reply(message):
        return InboundMessage.Kind.AUTO_REPLY
    return InboundMessage.Kind.REPLY


def _status(match: Match, kind: str) -> str:
    if match.forged:
        return Status.REFUSED
    if match.request is not None:
        return Status.ATTACHED
    if kind == InboundMessage.Kind.REPLY:
        return Status.TRIAGE
    return Status.UNMATCHED


def _row(
    message: AnymailInboundMessage,
    *,
    raw_name: str,
    sha256: str,
    message_id: str,
    esp: str,
    kind: str,
    match: Match,
) -> InboundMessage:
    req = match.request
    from_address = parsing.sender(message)[0]
    return InboundMessage(
        agency=req.agency if req else None,
        request=req,
        status=_status(match, kind),
        kind=kind,
        routed_by=match.routed_by,
        proposed_request=match.proposed,
        proposal_reason=match.reason[:300],
        message_id=message_id,
        content_sha256=sha256,
        esp=esp[:30],
        from_address=from_address[:300],
        to_addresses=", ".join(parsing.recipients(message)),
        subject=" ".join(str(message.get("Subject", "") or "").split())[:300],
        text=parsing.text_of(message),
        sent_at=parsing.message_date(message),
        received_at=timezone.now(),
        raw=raw_name,
        bounced_send=match.bounced_send,
        actions=[],
    )


def inbound_receive(*, message: AnymailInboundMessage, esp: str) -> Received:
    """Store one received message, route it, and act on it when it reached a request."""
    raw = parsing.raw_bytes(message)
    sha256 = parsing.content_sha256(raw)
    message_id = parsing.message_id(message)
    existing = _existing(message_id, sha256)
    if existing is not None:
        return Received(existing, duplicate=True)
    kind = _kind(message)
    match = route(message, bounce=kind == InboundMessage.Kind.BOUNCE)
    now = timezone.now()
    raw_name = default_storage.save(f"inbound/{now:%Y/%m}/{sha256}.eml", ContentFile(raw))
    try:
        with transaction.atomic():
            row = _row(
                message,
                raw_name=raw_name,
                sha256=sha256,
                message_id=message_id,
                esp=esp,
                kind=kind,
                match=match,
            )
            row.save()
            if row.status == Status.ATTACHED:
                apply_effects(row, message)
            elif row.status == Status.REFUSED:
                row.actions.append(f"Refused: {match.reason}. Not attached to any request.")
            elif row.status == Status.TRIAGE:
                row.actions.append("Waiting in the help desk's triage queue")
            row.save(update_fields=["actions", "skipped", "needs_attention", "marked_received_on"])
    except IntegrityError:
        existing = _existing(message_id, sha256)
        if existing is None:
            default_storage.delete(raw_name)
            raise
        if existing.raw.name != raw_name:
            default_storage.delete(raw_name)
        return Received(existing, duplicate=True)
    return Received(row, duplicate=False)


def raw_message(row: InboundMessage) -> AnymailInboundMessage:
    """The stored message, parsed again (for the help desk's confirmation of a triaged one)."""
    with row.raw.open("rb") as handle:
        return AnymailInboundMessage.parse_raw_mime_bytes(handle.read())
