"""Sending a request to its carrier: by e-mail through the outbox, or recorded by hand.

Either way the send is a CarrierSend row with the PDFs that went (kept as the request's
documents), the request's 1st-request date or 2nd-request time is set when still empty,
and the request's history says what went to whom.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, User
from dispatch.models import CarrierSend
from outbox.services import email_queue
from outbox.types import Attachment
from tracker.schedule import request_schedule_refresh
from vault.addresses import agency_sender, request_reply_address
from vault.authorization import history_reason
from vault.carrier_directory import carrier_route
from vault.derived import request_derived_refresh
from vault.documents import document_create
from vault.letters import first_request_letter_pdf, letter_filename, second_request_letter_pdf
from vault.models import Authorization, Document, LossRunRequest
from vault.rules import agency_today, request_years_text, tracking_dates_errors

Kind = CarrierSend.Kind


def signed_authorization(request: LossRunRequest) -> Document | None:
    """The newest signed authorization on file (signed electronically or uploaded)."""
    return (
        request.documents.filter(kind=Document.Kind.AUTH_SIGNED)
        .order_by("-uploaded_at", "-id")
        .first()
    )


def send_errors(*, request: LossRunRequest, kind: str) -> list[str]:
    """Why this request cannot be sent now (empty when it can). The 2nd request needs no
    signature: the signed authorization went with the 1st."""
    errors = []
    if request.received_on is not None:
        errors.append("The loss runs were already received.")
    if kind == Kind.FIRST and request.authorization != Authorization.SIGNED:
        errors.append("The authorization is not signed yet.")
    if kind == Kind.SECOND and request.first_request_on is None:
        errors.append("Send the 1st request first: a 2nd request follows a 1st one.")
    return errors


def _subject(request: LossRunRequest, kind: str) -> str:
    numbers = ", ".join(p.policy_number for p in request.policies.all())
    prefix = "2nd request: " if kind == Kind.SECOND else ""
    return f"{prefix}Loss run request: {request.insured.legal_name}, policy {numbers}"


def _letter(request: LossRunRequest, kind: str, user: User | None) -> Document:
    if kind == Kind.FIRST:
        pdf, what, doc_kind = (
            first_request_letter_pdf(request=request),
            "first-request",
            "first_request",
        )
    else:
        pdf, what, doc_kind = (
            second_request_letter_pdf(request=request),
            "second-request",
            "second_request",
        )
    return document_create(
        agency=request.agency,
        uploaded_by=user,
        uploaded_file=SimpleUploadedFile(
            letter_filename(request, what), pdf, content_type="application/pdf"
        ),
        kind=doc_kind,
        request=request,
    )


def _record_dates(
    request: LossRunRequest, *, kind: str, at: dt.datetime, user: User | None, reason: str
) -> None:
    agency = request.agency
    if kind == Kind.FIRST and request.first_request_on is None:
        request.first_request_on = at.astimezone(agency.tz).date()
    if kind == Kind.SECOND and request.second_request_at is None:
        request.second_request_at = at
    errors = tracking_dates_errors(
        agency=agency,
        first_request_on=request.first_request_on,
        second_request_at=request.second_request_at,
        received_on=request.received_on,
        created_at=request.created_at,
    )
    if errors:
        raise ValidationError(errors)
    request._history_user = user
    request._change_reason = history_reason(reason)
    request.save(update_fields=["first_request_on", "second_request_at", "updated_at"])
    request_schedule_refresh(request)
    request_derived_refresh(request)


def _lock(agency: Agency, request: LossRunRequest) -> LossRunRequest:
    if request.agency_id != agency.pk:
        raise ValidationError("This request belongs to another agency.")
    return (
        LossRunRequest.objects.select_for_update()
        .select_related("insured", "carrier", "agency")
        .get(pk=request.pk)
    )


@transaction.atomic
def carrier_send_email(
    *, agency: Agency, request: LossRunRequest, user: User | None, kind: str
) -> CarrierSend:
    """E-mail the 1st (signed authorization + request letter) or 2nd request (2nd-request
    letter) to the carrier's loss-run address, Reply-To the request's own address."""
    req = _lock(agency, request)
    errors = send_errors(request=req, kind=kind)
    route = carrier_route(agency=agency, carrier=req.carrier)
    if not route.email:
        errors.append("This carrier has no loss-run e-mail address: send it by hand.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    documents = []
    if kind == Kind.FIRST:
        documents.append(signed_authorization(req))
    documents.append(_letter(req, kind, user))
    reply_to = request_reply_address(req.pk)
    subject = _subject(req, kind)
    send = CarrierSend.objects.create(
        agency=agency,
        request=req,
        kind=kind,
        method=CarrierSend.Method.EMAIL,
        to=route.email,
        subject=subject,
        reply_to=reply_to,
        sent_at=now,
        sent_by=user,
    )
    send.documents.set(documents)
    with timezone.override(agency.tz):
        send.email = email_queue(
            kind=f"dispatch.{kind}_request",
            to=[route.email],
            subject=subject,
            template=f"dispatch/{kind}_request",
            context={
                "req": req,
                "agency": agency,
                "insured": req.insured,
                "carrier": req.carrier,
                "policies": list(req.policies.all()),
                "years_text": request_years_text(req),
                "user": user,
                "documents": documents,
                "requirements": route.requirements,
            },
            agency=agency,
            reply_to=[reply_to],
            attachments=[
                Attachment(d.file.name, d.original_name, d.content_type) for d in documents
            ],
            about=req,  # listed with the request's other e-mails on its page
            headers={"X-Loss-Run-Request": str(req.pk)},
            from_email=agency_sender(agency),
        )
    send.save(update_fields=["email"])
    _record_dates(
        req,
        kind=kind,
        at=now,
        user=user,
        reason=f"E-mailed the {send.get_kind_display()} to {route.email}",
    )
    request.first_request_on, request.second_request_at = (
        req.first_request_on,
        req.second_request_at,
    )
    return send


@transaction.atomic
def carrier_send_manual(
    *,
    agency: Agency,
    request: LossRunRequest,
    user: User | None,
    kind: str,
    method: str,
    sent_at: dt.datetime,
    to: str = "",
    note: str = "",
) -> CarrierSend:
    """ "I sent it": the agency faxed, uploaded or mailed the request itself."""
    if method == CarrierSend.Method.EMAIL or method not in CarrierSend.Method.values:
        raise ValidationError({"method": ["Choose how you sent it."]})
    if sent_at.tzinfo is None:
        raise ValueError("sent_at must be aware.")
    req = _lock(agency, request)
    errors = send_errors(request=req, kind=kind)
    if kind == Kind.FIRST and agency_today(agency, sent_at) > agency_today(agency):
        errors.append("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    send = CarrierSend.objects.create(
        agency=agency,
        request=req,
        kind=kind,
        method=method,
        to=to.strip(),
        note=note.strip(),
        sent_at=sent_at,
        sent_by=user,
    )
    auth = signed_authorization(req)
    send.documents.set([auth] if auth and kind == Kind.FIRST else [])
    how = CarrierSend.Method(method).label.split(" (")[0]
    _record_dates(
        req,
        kind=kind,
        at=sent_at,
        user=user,
        reason=f"{send.get_kind_display()} sent by hand ({how}){f' to {send.to}' if send.to else ''}",
    )
    request.first_request_on, request.second_request_at = (
        req.first_request_on,
        req.second_request_at,
    )
    return send


@transaction.atomic
def carrier_send_not_delivered(*, send: CarrierSend, at: dt.datetime, error: str) -> CarrierSend:
    """The carrier's mail server returned this e-mail: the request's page shows it as not
    delivered (with the server's reason) so the agent can fix the address and send again.
    The first bounce's time and reason are kept when the same e-mail bounces twice."""
    if at.tzinfo is None:
        raise ValueError("at must be aware.")
    locked = CarrierSend.objects.select_for_update().get(pk=send.pk)
    if locked.not_delivered_at is None:
        locked.not_delivered_at = at
        locked.delivery_error = " ".join(error.split())[:300]
        locked.save(update_fields=["not_delivered_at", "delivery_error"])
    send.not_delivered_at, send.delivery_error = locked.not_delivered_at, locked.delivery_error
    return locked
