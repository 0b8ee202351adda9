"""What an attached message does to its request (shared by the automatic route and the
help desk's confirmation of a triaged message).

A reply's files go through the upload checks (vault.documents.document_create: type by
content, 50 MB); inline images are not filed. A loss-run file (PDF, XLSX, CSV) marks the
request received on the message's date in the agency's time zone, through the vault's own
service, which stops the tracker. Any other reply flags the request "carrier replied: needs
attention". The agent is e-mailed either way. Auto-replies change nothing; a bounce marks
the carrier send it returns "not delivered".
"""

from __future__ import annotations

from anymail.inbound import AnymailInboundMessage
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import agency_mail_recipients
from config.dates import human_date
from dispatch.services import carrier_send_not_delivered
from inbound import parsing
from inbound.models import InboundMessage
from outbox.rendering import render_subject
from outbox.services import email_queue
from vault.documents import CSV_TYPE, PDF_TYPE, XLSX_TYPE, document_create, size_text
from vault.models import Document, LossRunRequest
from vault.services import request_record_received

LOSS_RUN_TYPES = (PDF_TYPE, XLSX_TYPE, CSV_TYPE)
INLINE_IMAGE = "an image shown inside the e-mail (a logo or signature): not filed"


def _file_parts(row: InboundMessage, message: AnymailInboundMessage) -> list[Document]:
    req = row.request
    assert req is not None
    documents, skipped = [], []
    for part in parsing.attachment_parts(message):
        if part.inline_image:
            skipped.append({"name": part.filename, "reason": INLINE_IMAGE})
            continue
        upload = SimpleUploadedFile(part.filename, part.content, content_type=part.content_type)
        try:
            document = document_create(
                agency=req.agency,
                uploaded_by=None,
                uploaded_file=upload,
                kind=Document.Kind.OTHER,
                request=req,
            )
        except ValidationError as exc:
            reason = " ".join(exc.messages)
            skipped.append(
                {"name": part.filename, "reason": f"{reason} ({size_text(upload.size or 0)})"}
            )
            continue
        if document.content_type in LOSS_RUN_TYPES:
            document.kind = Document.Kind.LOSS_RUN
            document.save(update_fields=["kind"])
        documents.append(document)
    row.skipped = skipped
    row.documents.set(documents)
    for item in skipped:
        row.actions.append(f"Not filed: {item['name']}: {item['reason']}")
    for document in documents:
        row.actions.append(f"Filed {document.original_name} as {document.get_kind_display()}")
    return documents


def _mark_received(row: InboundMessage, req: LossRunRequest, loss_runs: list[Document]) -> bool:
    """True when the request now stands received (by this message or before it)."""
    if req.received_on is not None:
        row.actions.append(f"The request was already received on {human_date(req.received_on)}")
        return True
    received_on = row.sent_at.astimezone(req.agency.tz).date()
    names = ", ".join(d.original_name for d in loss_runs)
    try:
        request_record_received(
            request=req, received_on=received_on, reason=f"Carrier's e-mail with {names}"
        )
    except ValidationError as exc:
        row.actions.append(f"Not marked received: {' '.join(exc.messages)}")
        return False
    row.marked_received_on = received_on
    row.actions.append(f"Marked the request received on {human_date(received_on)}")
    return True


def _notify_agent(row: InboundMessage, req: LossRunRequest, loss_runs: list[Document]) -> None:
    to = agency_mail_recipients(agency=req.agency, user=req.created_by)
    if not to:
        row.actions.append("Nobody to tell: the agency has no active address")
        return
    request_url = settings.SITE_URL + reverse("vault:request_edit", kwargs={"request_id": req.pk})
    import_url = ""
    if loss_runs:
        # The import page picks the insured's carrier itself when it has one request.
        import_url = settings.SITE_URL + reverse(
            "claims:import_start", kwargs={"insured_id": req.insured_id}
        )
    context = {
        "req": req,
        "insured": req.insured,
        "carrier": req.carrier,
        "message": row,
        "loss_runs": loss_runs,
        "received": row.marked_received_on is not None,
        "request_url": request_url,
        "import_url": import_url,
    }
    template = "inbound/carrier_replied"
    with timezone.override(req.agency.tz):
        email_queue(
            kind="inbound.carrier_replied",
            to=to,
            subject=render_subject(template, context),
            template=template,
            context=context,
            agency=req.agency,
            about=req,
        )
    row.actions.append(f"E-mailed the agent ({', '.join(to)})")


def apply_effects(row: InboundMessage, message: AnymailInboundMessage) -> None:
    """Act on a message just attached to `row.request` (inside the caller's transaction)."""
    req = row.request
    assert req is not None
    if row.kind == InboundMessage.Kind.AUTO_REPLY:
        row.actions.append("Auto-reply: recorded on the request, nothing changed")
        return
    if row.kind == InboundMessage.Kind.BOUNCE:
        send = row.bounced_send
        if send is None:
            row.actions.append("Delivery failure of no e-mail sent to the carrier: recorded")
            return
        carrier_send_not_delivered(send=send, at=row.sent_at, error=parsing.bounce_reason(message))
        row.needs_attention = True
        row.actions.append(f"Marked the {send.get_kind_display()} to {send.to} not delivered")
        return
    documents = _file_parts(row, message)
    loss_runs = [d for d in documents if d.kind == Document.Kind.LOSS_RUN]
    if not (loss_runs and _mark_received(row, req, loss_runs)):
        row.needs_attention = True
        row.actions.append("The request shows: carrier replied, needs attention")
    _notify_agent(row, req, loss_runs)
