"""Reads of the e-signature flow."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import get_for_agency, scoped
from esign.models import SignatureRequest
from esign.tokens import parse_token
from vault.models import LossRunRequest


class LinkState:
    OK = "ok"
    INVALID = "invalid"  # malformed, tampered, or another link's parts
    GONE = "gone"  # the request (and its signature record) was deleted
    REVOKED = "revoked"
    EXPIRED = "expired"
    SIGNED = "signed"
    DECLINED = "declined"


@dataclass(frozen=True)
class Link:
    state: str
    signature: SignatureRequest | None = None


def link_from_token(token: str, now=None) -> Link:
    """What a signing link leads to. The signature is checked before the database is read;
    the row's nonce must then match too, so no edit of a token reaches another row."""
    claims = parse_token(token)
    if claims is None:
        return Link(LinkState.INVALID)
    signature = (
        SignatureRequest.objects.select_related(
            "agency", "request__insured", "request__carrier", "request__agency"
        )
        .filter(pk=claims.signature_id)
        .first()
    )
    if signature is None:
        return Link(LinkState.GONE)
    if not claims.matches(signature.nonce):
        return Link(LinkState.INVALID)
    if signature.status == SignatureRequest.Status.REVOKED:
        return Link(LinkState.REVOKED, signature)
    if signature.status == SignatureRequest.Status.SIGNED:
        return Link(LinkState.SIGNED, signature)
    if signature.status == SignatureRequest.Status.DECLINED:
        return Link(LinkState.DECLINED, signature)
    if signature.is_expired(now or timezone.now()):
        return Link(LinkState.EXPIRED, signature)
    return Link(LinkState.OK, signature)


def signatures_for_request(*, agency: Agency, request: LossRunRequest) -> list[SignatureRequest]:
    return list(
        scoped(SignatureRequest, agency).filter(request=request).order_by("-sent_at", "-id")
    )


def signature_get(*, agency: Agency, signature_id: int) -> SignatureRequest:
    qs = SignatureRequest.objects.select_related("request")
    return get_for_agency(qs, agency=agency, pk=signature_id)
