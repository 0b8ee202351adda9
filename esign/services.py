"""Writes of the e-signature flow: send, revoke, open, sign, decline, remind.

Every function is keyword-only and atomic; e-mails are outbox rows created in the same
transaction (delivered after commit). The request's authorization stage and its history
follow each step (vault.authorization).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Agency, User
from accounts.tenancy import scoped
from esign import emails
from esign.documents import CertificateFacts, letter_freeze, sha256_hex, signed_pdf
from esign.models import SignatureRequest
from esign.reminders import next_reminder_at
from esign.tokens import new_nonce
from tracker.calendar import calendar_for_agency
from vault.authorization import request_authorization_set
from vault.documents import document_create
from vault.models import Authorization, Document, LossRunRequest
from vault.services import insured_update

USER_AGENT_MAX = 500


def _reminder_after(signature: SignatureRequest) -> dt.datetime | None:
    agency = signature.agency
    return next_reminder_at(
        sent_at=signature.sent_at,
        reminders_sent=signature.reminders_sent,
        expires_at=signature.expires_at,
        calendar=calendar_for_agency(agency),
        tz=agency.tz,
        notify_time=agency.notify_time,
    )


def signature_send_errors(*, request: LossRunRequest) -> list[str]:
    """Why this request cannot be sent for signature now (empty when it can)."""
    errors = []
    if request.authorization == Authorization.SIGNED:
        errors.append("The authorization is already signed.")
    if request.received_on is not None:
        errors.append("The loss runs were already received.")
    if request.first_request_on is not None:
        errors.append("The 1st request was already sent.")
    return errors


@transaction.atomic
def signature_send(
    *,
    agency: Agency,
    request: LossRunRequest,
    user: User | None,
    signer_name: str,
    signer_title: str,
    signer_email: str,
    now: dt.datetime | None = None,
) -> SignatureRequest:
    """E-mail the insured's signer a link to sign the letter; any earlier link is revoked."""
    if request.agency_id != agency.pk:
        raise ValidationError("This request belongs to another agency.")
    request = (
        LossRunRequest.objects.select_for_update()
        .select_related("insured", "carrier", "agency")
        .get(pk=request.pk)
    )
    errors = signature_send_errors(request=request)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    insured_update(
        agency=agency,
        insured=request.insured,
        signer_name=signer_name,
        signer_title=signer_title,
        signer_email=signer_email,
    )
    for old in SignatureRequest.objects.filter(
        request=request, status=SignatureRequest.Status.PENDING
    ):
        _revoke(old, now=now)
    letter = letter_freeze(request=request)
    signature = SignatureRequest(
        agency=agency,
        request=request,
        nonce=new_nonce(),
        signer_name=request.insured.signer_name,
        signer_title=request.insured.signer_title,
        signer_email=request.insured.signer_email,
        letter_html=letter.html_with_slot,
        unsigned_block_html=letter.unsigned_block,
        shown_sha256=letter.sha256,
        sent_by=user,
        sent_at=now,
        expires_at=now + dt.timedelta(days=settings.ESIGN_LINK_DAYS),
    )
    signature.shown_pdf.save(
        f"agency-{agency.pk}-authorization-{request.pk}.pdf", ContentFile(letter.pdf), save=False
    )
    signature.next_reminder_at = _reminder_after(signature)
    signature.save()
    emails.signing_link(signature=signature)
    request_authorization_set(
        request=request,
        authorization=Authorization.AWAITING,
        actor=user,
        reason=f"Sent for signature to {signature.signer_email}",
    )
    return signature


def _revoke(signature: SignatureRequest, *, now: dt.datetime) -> None:
    signature.status = SignatureRequest.Status.REVOKED
    signature.revoked_at = now
    signature.next_reminder_at = None
    signature.save(update_fields=["status", "revoked_at", "next_reminder_at"])


@transaction.atomic
def signature_revoke(
    *, agency: Agency, signature: SignatureRequest, user: User | None
) -> SignatureRequest:
    """The link stops working at once; the request is a draft again."""
    if signature.agency_id != agency.pk:
        raise ValidationError("This signature request belongs to another agency.")
    signature = SignatureRequest.objects.select_for_update().get(pk=signature.pk)
    if signature.status != SignatureRequest.Status.PENDING:
        raise ValidationError("Only a link that is still waiting for the signer can be revoked.")
    _revoke(signature, now=timezone.now())
    request_authorization_set(
        request=signature.request,
        authorization=Authorization.DRAFT,
        actor=user,
        reason=f"Revoked the signing link sent to {signature.signer_email}",
    )
    return signature


def signature_open(*, signature: SignatureRequest, now: dt.datetime | None = None) -> None:
    """Record when the signer first opened the page (once)."""
    SignatureRequest.objects.filter(pk=signature.pk, opened_at__isnull=True).update(
        opened_at=now or timezone.now()
    )


def _lock_pending(signature: SignatureRequest, now: dt.datetime) -> SignatureRequest:
    locked = (
        SignatureRequest.objects.select_for_update()
        .select_related("request__insured", "request__carrier", "request__agency", "agency")
        .get(pk=signature.pk)
    )
    if locked.status != SignatureRequest.Status.PENDING:
        raise ValidationError("This link was already used or revoked.", code="used")
    if locked.is_expired(now):
        raise ValidationError("This link has expired.", code="expired")
    return locked


@transaction.atomic
def signature_sign(
    *,
    signature: SignatureRequest,
    name: str,
    title: str,
    consented: bool,
    png: bytes | None,
    typed: str,
    ip: str | None,
    user_agent: str,
    now: dt.datetime | None = None,
) -> SignatureRequest:
    """Sign: build the final PDF with its certificate, keep it as the request's signed
    authorization, send the signer their copy and tell the agent."""
    now = now or timezone.now()
    name, title, typed = name.strip(), title.strip(), typed.strip()
    errors: dict[str, list[str]] = {}
    if not consented:
        errors["consent"] = ["Tick the box to agree to sign electronically."]
    if not name:
        errors["signer_name"] = ["Enter your name."]
    if png is None and not typed:
        errors["signature"] = ["Draw your signature in the box, or type it instead."]
    if errors:
        raise ValidationError(errors)
    signature = _lock_pending(signature, now)
    req = signature.request
    agency = signature.agency
    signature.consented_at = signature.consented_at or now
    signature.opened_at = signature.opened_at or now
    facts = CertificateFacts(
        agency_name=agency.name,
        insured_name=req.insured.legal_name,
        carrier_name=req.carrier.legal_name,
        signer_name=name,
        signer_title=title,
        signer_email=signature.signer_email,
        signature_kind="drawn" if png else "typed",
        ip=ip or "",
        user_agent=user_agent[:USER_AGENT_MAX],
        times=[
            ("Link sent", signature.sent_at),
            ("Page opened", signature.opened_at),
            ("Consented to sign electronically", signature.consented_at),
            ("Signed", now),
        ],
        tz_name=agency.get_time_zone_display() + " time",
        shown_sha256=signature.shown_sha256,
        request_id=req.pk,
        signature_id=signature.pk,
    )
    final, letter_sha = signed_pdf(
        request=req,
        html_with_slot=signature.letter_html,
        facts=facts,
        signed_on=now.astimezone(agency.tz).date(),
        png=png,
        typed="" if png else typed,
        tz=agency.tz,
    )
    request_authorization_set(
        request=req,
        authorization=Authorization.SIGNED,
        reason=f"Signed electronically by {name} ({signature.signer_email})",
    )
    insured = slugify(req.insured.legal_name)[:60] or "insured"
    document = document_create(
        agency=agency,
        uploaded_by=None,
        uploaded_file=SimpleUploadedFile(
            f"authorization-signed-{insured}-{req.pk}.pdf", final, content_type="application/pdf"
        ),
        kind=Document.Kind.AUTH_SIGNED,
        request=req,
    )
    signature.status = SignatureRequest.Status.SIGNED
    signature.signed_at = now
    signature.signed_name = name
    signature.signed_title = title
    signature.signature_kind = facts.signature_kind
    signature.signature_png = png
    signature.signer_ip = ip or None
    signature.signer_user_agent = facts.user_agent
    signature.signed_pages_sha256 = letter_sha
    signature.final_sha256 = sha256_hex(final)
    signature.document = document
    signature.next_reminder_at = None
    signature.save()
    emails.signer_copy(signature=signature)
    emails.agent_signed(signature=signature)
    return signature


@transaction.atomic
def signature_decline(
    *,
    signature: SignatureRequest,
    reason: str,
    ip: str | None,
    user_agent: str,
    now: dt.datetime | None = None,
) -> SignatureRequest:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"decline_reason": ["Tell the agency why you decline."]})
    now = now or timezone.now()
    signature = _lock_pending(signature, now)
    signature.status = SignatureRequest.Status.DECLINED
    signature.declined_at = now
    signature.decline_reason = reason
    signature.signer_ip = ip or None
    signature.signer_user_agent = user_agent[:USER_AGENT_MAX]
    signature.opened_at = signature.opened_at or now
    signature.next_reminder_at = None
    signature.save()
    request_authorization_set(
        request=signature.request,
        authorization=Authorization.DECLINED,
        reason=f"{signature.signer_email} declined to sign",
    )
    emails.agent_declined(signature=signature)
    return signature


def reminders_send_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Remind every signer whose reminder is due. Each reminder is claimed by a conditional
    update of its count, so two sweeps never send the same one twice."""
    now = now or timezone.now()
    due = list(
        SignatureRequest.objects.filter(
            status=SignatureRequest.Status.PENDING,
            next_reminder_at__lte=now,
            expires_at__gt=now,
        )
        .select_related("agency", "request__insured", "request__carrier")
        .order_by("next_reminder_at", "id")[:limit]
    )
    sent = 0
    for signature in due:
        with transaction.atomic():
            claimed = SignatureRequest.objects.filter(
                pk=signature.pk,
                status=SignatureRequest.Status.PENDING,
                reminders_sent=signature.reminders_sent,
            ).update(reminders_sent=signature.reminders_sent + 1)
            if not claimed:
                continue
            signature.reminders_sent += 1
            signature.next_reminder_at = _reminder_after(signature)
            signature.save(update_fields=["next_reminder_at"])
            emails.signing_reminder(signature=signature)
            sent += 1
    return sent


@dataclass
class BulkResult:
    sent: list[SignatureRequest] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def signature_send_many(
    *, agency: Agency, request_ids: list[int], user: User | None, limit: int = 200
) -> BulkResult:
    """Send for signature many requests at once (renewal season), each in its own
    transaction, to the signer on file; one that cannot be sent is reported, not fatal."""
    result = BulkResult()
    requests = (
        scoped(LossRunRequest, agency)
        .filter(pk__in=request_ids[:limit])
        .select_related("insured", "carrier")
        .order_by("pk")
    )
    for req in requests:
        label = f"{req.insured.legal_name} / {req.carrier.legal_name}"
        insured = req.insured
        if not (insured.signer_name and insured.signer_email):
            result.skipped.append((label, "no authorized signer with an e-mail on file"))
            continue
        try:
            result.sent.append(
                signature_send(
                    agency=agency,
                    request=req,
                    user=user,
                    signer_name=insured.signer_name,
                    signer_title=insured.signer_title,
                    signer_email=insured.signer_email,
                )
            )
        except ValidationError as exc:
            result.skipped.append((label, " ".join(exc.messages)))
    return result
