"""Which request a received message belongs to.

Automatic only on proof: the unguessable token of the request's Reply-To address (an HMAC
under SECRET_KEY, verified by vault.addresses.parse_reply_address), or a Message-ID of an
e-mail the product sent to a carrier in In-Reply-To/References (a bounce: the failed
message's own Message-ID). Either names one request, so its agency: nothing else a sender
writes can choose the agency. Weaker clues (a policy number, the insured's name in the
subject) only propose a request for the help desk to confirm. A token that is ours in form
but does not verify is forged or altered: such a message is refused and never attached.

These look-ups cross agencies by design (the proof names the request before any agency is
known); they run for the webhook and the ingest command, never for a signed-in user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from anymail.inbound import AnymailInboundMessage
from django.conf import settings
from django.db.models import F, Value

from dispatch.models import CarrierSend
from inbound import parsing
from vault.addresses import parse_reply_address
from vault.models import LossRunRequest, Policy

POLICY_TOKEN_RE = re.compile(r"\b[A-Z0-9][A-Z0-9-]{3,39}\b")
TEXT_SCAN = 5000  # the start of the text (the reply, not the quoted thread's tail)


@dataclass(frozen=True)
class Match:
    request: LossRunRequest | None = None
    routed_by: str = ""  # InboundMessage.Route value, empty when not routed
    forged: bool = False
    proposed: LossRunRequest | None = None
    reason: str = ""
    bounced_send: CarrierSend | None = None


def _tagged_inbound(address: str) -> bool:
    """A `base+something@inbound-domain` address: ours in form, whatever the token says."""
    base_local, _, base_domain = settings.INBOUND_EMAIL_ADDRESS.lower().rpartition("@")
    local, _, domain = parseaddr(address)[1].lower().rpartition("@")
    return domain == base_domain and local.startswith(base_local.split("+", 1)[0] + "+")


def _by_token(addresses: list[str]) -> tuple[set[int], bool]:
    ids, forged = set(), False
    for address in addresses:
        if not _tagged_inbound(address):
            continue
        request_id = parse_reply_address(address)
        if request_id is None:
            forged = True
        else:
            ids.add(request_id)
    return ids, forged


def _send_for(message_ids: list[str]) -> CarrierSend | None:
    """The carrier send whose outbox e-mail has the first of these Message-IDs."""
    if not message_ids:
        return None
    sends = {
        s.email.message_id: s
        for s in CarrierSend.objects.filter(  # tenancy: our Message-IDs are global and unique
            email__message_id__in=message_ids
        ).select_related("email", "request__agency")
        if s.email is not None
    }
    return next((sends[m] for m in message_ids if m in sends), None)


def _proposal(message: AnymailInboundMessage) -> tuple[LossRunRequest | None, str]:
    subject = str(message.get("Subject", "") or "")
    haystack = f"{subject}\n{(message.text or '')[:TEXT_SCAN]}"
    numbers = set(POLICY_TOKEN_RE.findall(haystack.upper()))
    sender = parsing.sender(message)[1]
    open_requests = LossRunRequest.objects.filter(  # tenancy: a proposal for staff only
        received_on__isnull=True
    ).select_related("agency", "insured")
    if numbers:
        candidates = list(
            open_requests.filter(
                pk__in=Policy.objects.filter(  # tenancy: a proposal for staff only
                    policy_number__in=numbers
                ).values("request_id")
            ).order_by("-created_at")[:20]
        )
        if candidates:
            return _prefer_sent_to(candidates, sender), "policy number in the message"
    if subject.strip():
        candidates = list(
            open_requests.annotate(subject=Value(subject))
            .filter(subject__icontains=F("insured__legal_name"))
            .order_by("-created_at")[:20]
        )
        if candidates:
            return _prefer_sent_to(candidates, sender), "insured's name in the subject"
    return None, ""


def _prefer_sent_to(candidates: list[LossRunRequest], sender: str) -> LossRunRequest:
    """Of several candidates, the newest one that was e-mailed to this sender."""
    sent = set(
        CarrierSend.objects.filter(  # tenancy: a proposal for staff only
            request__in=candidates, to__iexact=sender
        ).values_list("request_id", flat=True)
    )
    return next((c for c in candidates if c.pk in sent), candidates[0])


def route(message: AnymailInboundMessage, *, bounce: bool) -> Match:
    ids, forged = _by_token(parsing.recipients(message))
    if forged:
        return Match(forged=True, reason="an inbound address whose token does not verify")
    if bounce:
        send = _send_for(parsing.bounced_message_ids(message))
        if send is not None:
            return Match(request=send.request, routed_by="thread", bounced_send=send)
    if len(ids) == 1:
        request = (
            LossRunRequest.objects.select_related(
                "agency", "insured", "carrier"
            )  # tenancy: the token's HMAC names the request
            .filter(pk=ids.pop())
            .first()
        )
        if request is not None:
            return Match(request=request, routed_by="token")
        return Match(reason="its token names a request that no longer exists")
    if len(ids) > 1:
        return Match(reason="it was sent to the addresses of several requests")
    send = _send_for(parsing.referenced_ids(message))
    if send is not None:
        return Match(request=send.request, routed_by="thread")
    proposed, reason = _proposal(message)
    return Match(proposed=proposed, reason=reason)
