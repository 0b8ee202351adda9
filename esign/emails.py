"""The e-signature flow's e-mails, each one outbox row (see OUTBOX_API.md)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts.selectors import agency_mail_recipients
from esign.models import SignatureRequest
from esign.tokens import make_token
from outbox.services import email_queue
from outbox.types import Attachment
from tracker.emails import absolute_url
from vault.addresses import agency_sender


def signing_url(signature: SignatureRequest) -> str:
    token = make_token(signature_id=signature.pk, nonce=signature.nonce)
    return absolute_url(reverse("esign:sign", kwargs={"signing_token": token}))


def _context(signature: SignatureRequest) -> dict:
    req = signature.request
    agency = signature.agency
    return {
        "signature": signature,
        "req": req,
        "agency": agency,
        "insured": req.insured,
        "carrier": req.carrier,
        "policies": list(req.policies.all()),
        "expires_local": signature.expires_at.astimezone(agency.tz),
        "agent_url": absolute_url(reverse("dispatch:request_send", args=[req.pk])),
    }


def _to_signer(
    signature: SignatureRequest,
    *,
    kind: str,
    subject: str,
    template: str,
    attachments: tuple[Attachment, ...] = (),
    **extra,
):
    agency = signature.agency
    with timezone.override(agency.tz):
        return email_queue(
            kind=kind,
            to=[signature.signer_email],
            subject=subject,
            template=template,
            context={**_context(signature), **extra},
            agency=agency,
            reply_to=[agency.email] if agency.email else [],
            about=signature,
            attachments=attachments,
            from_email=agency_sender(agency),
        )


def signing_link(*, signature: SignatureRequest) -> None:
    insured = signature.request.insured.legal_name
    _to_signer(
        signature,
        kind="esign.link",
        subject=f"Please sign: loss-run authorization for {insured}",
        template="esign/signing_link",
        link=signing_url(signature),
    )


def signing_reminder(*, signature: SignatureRequest) -> None:
    insured = signature.request.insured.legal_name
    _to_signer(
        signature,
        kind="esign.reminder",
        subject=f"Reminder: please sign the loss-run authorization for {insured}",
        template="esign/signing_link",
        link=signing_url(signature),
        reminder=True,
    )


def signer_copy(*, signature: SignatureRequest) -> None:
    document = signature.document
    _to_signer(
        signature,
        kind="esign.copy",
        subject=f"Your signed copy: loss-run authorization for {signature.request.insured}",
        template="esign/signer_copy",
        attachments=(Attachment(document.file.name, document.original_name, "application/pdf"),),
    )


def _to_agent(signature: SignatureRequest, *, kind: str, subject: str, template: str) -> None:
    agency = signature.agency
    req = signature.request
    recipients = agency_mail_recipients(agency=agency, user=req.created_by)
    if not recipients:
        return
    with timezone.override(agency.tz):
        email_queue(
            kind=kind,
            to=recipients,
            subject=subject,
            template=template,
            context=_context(signature),
            agency=agency,
            about=signature,
        )


def agent_signed(*, signature: SignatureRequest) -> None:
    _to_agent(
        signature,
        kind="esign.signed",
        subject=f"Signed: loss-run authorization for {signature.request.insured}",
        template="esign/agent_signed",
    )


def agent_declined(*, signature: SignatureRequest) -> None:
    _to_agent(
        signature,
        kind="esign.declined",
        subject=f"Declined: loss-run authorization for {signature.request.insured}",
        template="esign/agent_declined",
    )
