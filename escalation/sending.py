"""Sending the escalation kit when the statutory date passes with nothing received.

The beat sweep (`kit_sweep`, every minute) finds the open requests past their statutory due
date that have no kit for that date yet, and sends each kit at its moment (`kit_moment`):
the agency's notify time on the first day after the due date, moved to the next business
day like any tracker reminder for a day, and never outside working hours. Sending a kit,
in one transaction per request:

- an `EscalationKit` row, unique per (request, due date): never twice for the same date;
  a corrected date is a new due date and gets its own kit at its own moment;
- the two PDFs (escalation.kit) stored as the agency's documents of the request;
- a note with both PDFs on the request's open Help Desk ticket, if any (escalation.ticket_port);
- one outbox e-mail to the agency with both PDFs attached.

A received date (or a due date corrected before delivery) withdraws a kit e-mail that the
outbox has not sent yet. Runs for every agency at once from Celery, never for a user.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import agency_mail_recipients
from escalation import kit as kits
from escalation.models import EscalationKit
from escalation.ticket_port import ticket_note
from outbox.models import Email
from outbox.rendering import render_subject
from outbox.services import email_cancel, email_queue
from outbox.types import Attachment
from statutes.rules import StatutoryDeadline
from tracker.calendar import calendar_for_agency, closed_days_by_agency
from tracker.emails import absolute_url
from tracker.schedule import agency_clock
from tracker.timeline import AgencyClock, day_notice, notice_moment
from vault.derived import request_deadline
from vault.documents import document_create, document_file_discard
from vault.models import Document, LossRunRequest

logger = logging.getLogger(__name__)

KIT_SWEEP_LIMIT = 25  # kits per sweep (two PDFs each); the rest go a minute later
TEMPLATE = "escalation/statutory_kit"
NO_RECIPIENT = "No e-mail sent: the request's owner is inactive and the agency has no addresses."


def kit_moment(due_on: dt.date, clock: AgencyClock) -> dt.datetime:
    """When the kit for a statutory due date goes out: the notify time of the first day the
    carrier is late (the day after the due date), on the agency's calendar and clock: a
    day that is not a business day moves it to the next business day's notify time."""
    return day_notice(due_on + dt.timedelta(days=1), clock)


@dataclass
class KitSweepResult:
    now: dt.datetime
    sent: list[int] = field(default_factory=list)  # request ids
    waiting: int = 0  # past the due date, the moment not reached (or outside working hours)
    withdrawn: list[int] = field(default_factory=list)  # kit ids whose e-mail was withdrawn
    errors: list[tuple[int, str]] = field(default_factory=list)


def _without_kit():
    """Open requests whose statutory date has no kit yet (any agency)."""
    sent = EscalationKit.objects.filter(request=OuterRef("pk"), due_on=OuterRef("statutory_due_on"))
    return LossRunRequest.objects.filter(
        received_on__isnull=True, statutory_due_on__isnull=False
    ).exclude(Exists(sent))


def kits_due(*, now: dt.datetime) -> tuple[list[tuple[int, dt.date]], int]:
    """(request id, due date) of the kits to send at `now`, oldest due date first, and how
    many more are past their due date but wait for their moment or working hours.

    No zone is more than a day ahead of UTC, so a request can only be past its date (in
    its agency's zone) when the date is before tomorrow in UTC; `kit_moment` decides.
    """
    bound = now.astimezone(dt.UTC).date() + dt.timedelta(days=1)
    rows = list(
        _without_kit()
        .filter(statutory_due_on__lt=bound)
        .select_related("agency")
        .only("pk", "statutory_due_on", "agency")
        .order_by("statutory_due_on", "pk")
    )
    closed = closed_days_by_agency({r.agency_id for r in rows})
    clocks: dict[int, AgencyClock] = {}
    due, waiting = [], 0
    for r in rows:
        if r.agency_id not in clocks:
            clocks[r.agency_id] = agency_clock(
                r.agency, calendar_for_agency(r.agency, closed[r.agency_id])
            )
        clock = clocks[r.agency_id]
        if kit_moment(r.statutory_due_on, clock) <= now and notice_moment(now, clock) == now:
            due.append((r.pk, r.statutory_due_on))
        else:
            waiting += 1
    return due, waiting


def _locked(request_id: int) -> LossRunRequest | None:
    """The request, locked against a second sweep (PostgreSQL: skipped if another holds it;
    SQLite's IMMEDIATE transactions serialize the sweeps instead)."""
    qs = LossRunRequest.objects.filter(pk=request_id)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return qs.first()


def _store(req: LossRunRequest, pdf: bytes, what: str, stored: list[Document]) -> Document:
    doc = document_create(
        agency=req.agency,
        uploaded_by=None,
        uploaded_file=ContentFile(pdf, name=kits.kit_filename(req, what)),
        kind=Document.Kind.OTHER,
        request=req,
    )
    stored.append(doc)
    return doc


def _links(req: LossRunRequest, ticket_id: int | None) -> dict[str, str]:
    links = {
        "request_edit": absolute_url(reverse("vault:request_edit", args=[req.pk])),
        "kit_letter": absolute_url(reverse("escalation:kit_letter", args=[req.pk])),
        "kit_complaint": absolute_url(reverse("escalation:kit_complaint", args=[req.pk])),
    }
    if ticket_id is not None:
        links["ticket"] = absolute_url(reverse("helpdesk:ticket_detail", args=[ticket_id]))
    return links


def ticket_note_text(req: LossRunRequest, deadline: StatutoryDeadline) -> str:
    rule = deadline.rule
    assert rule is not None and deadline.due_on is not None
    return (
        f"Statutory deadline passed with nothing received. {deadline.sentence} "
        f"The escalation kit is attached: a certified-mail letter to {req.carrier} citing "
        f"{rule.citation}, and a draft complaint to the {rule.regulator_name} with the "
        "request's history. The agency has it by e-mail."
    )


def _email(
    req: LossRunRequest,
    deadline: StatutoryDeadline,
    documents: list[Document],
    ticket_id: int | None,
) -> Email | None:
    to = agency_mail_recipients(agency=req.agency, user=req.created_by)
    if not to:
        return None
    context = {
        "req": req,
        "agency": req.agency,
        "policies": list(req.policies.all()),
        "deadline": deadline,
        "rule": deadline.rule,
        "ticket_id": ticket_id,
        "links": _links(req, ticket_id),
    }
    with timezone.override(req.agency.tz):
        return email_queue(
            kind="escalation.statutory_kit",
            to=to,
            subject=render_subject(TEMPLATE, context),
            template=TEMPLATE,
            context=context,
            agency=req.agency,
            attachments=[
                Attachment(d.file.name, d.original_name, "application/pdf") for d in documents
            ],
            about=req,
        )


def kit_send(*, request_id: int, due_on: dt.date, now: dt.datetime) -> EscalationKit | None:
    """Send the kit of one request for one statutory due date, in one transaction.

    None when there is nothing to send any more (received, the date changed, a kit exists
    for it, another sweep holds the request). Files stored before a failure are removed.
    """
    stored: list[Document] = []
    try:
        with transaction.atomic():
            req = _locked(request_id)
            if req is None or req.received_on is not None or req.statutory_due_on != due_on:
                return None
            if EscalationKit.objects.filter(request=req, due_on=due_on).exists():
                return None
            req = kits.kit_request_for_staff(request_id=request_id)
            deadline = request_deadline(req)
            kit = EscalationKit.objects.create(
                agency=req.agency,
                request=req,
                due_on=due_on,
                citation=deadline.rule.citation if deadline.rule else "",
                sent_at=now,
            )
            kit.letter = _store(req, kits.kit_letter_pdf(request=req), "certified-letter", stored)
            kit.complaint = _store(
                req, kits.kit_complaint_pdf(request=req), "doi-complaint-draft", stored
            )
            documents = [kit.letter, kit.complaint]
            kit.ticket_id = ticket_note(
                request=req, body=ticket_note_text(req, deadline), documents=documents
            )
            kit.email = _email(req, deadline, documents, kit.ticket_id)
            kit.note = "" if kit.email else NO_RECIPIENT
            kit.save(update_fields=["letter", "complaint", "ticket_id", "email", "note"])
            return kit
    except Exception:
        for doc in stored:
            document_file_discard(doc)
        raise


def _withdraw_stale(result: KitSweepResult) -> None:
    """A kit whose e-mail is not sent yet while the request was received or its statutory
    date changed: the e-mail no longer applies and is withdrawn."""
    stale = (
        EscalationKit.objects.filter(email__status__in=[Email.Status.PENDING, Email.Status.FAILED])
        .filter(
            Q(request__received_on__isnull=False)
            | Q(request__statutory_due_on__isnull=True)
            | ~Q(request__statutory_due_on=F("due_on"))
        )
        .select_related("email", "request")
    )
    for kit in stale:
        email_cancel(email=kit.email)
        if kit.email.status != Email.Status.CANCELLED:
            continue  # being sent right now: history
        reason = "loss runs received" if kit.request.received_on else "the statutory date changed"
        EscalationKit.objects.filter(pk=kit.pk).update(
            note=f"E-mail withdrawn before delivery: {reason}."
        )
        result.withdrawn.append(kit.pk)


def kit_sweep(*, now: dt.datetime | None = None, limit: int = KIT_SWEEP_LIMIT) -> KitSweepResult:
    """Send the kits due at `now` (at most `limit`), each in its own transaction so one
    failure never stops the others, then withdraw the e-mails that no longer apply."""
    now = now or timezone.now()
    if now.tzinfo is None:
        raise ValueError("now must be aware.")
    result = KitSweepResult(now=now)
    due, result.waiting = kits_due(now=now)
    result.waiting += max(0, len(due) - limit)
    for request_id, due_on in due[:limit]:
        try:
            if kit_send(request_id=request_id, due_on=due_on, now=now):
                result.sent.append(request_id)
        except Exception as exc:  # one bad request must not stop everyone's kits
            logger.exception("Escalation kit: cannot send for request %s", request_id)
            result.errors.append((request_id, f"{type(exc).__name__}: {exc}"))
    with transaction.atomic():
        _withdraw_stale(result)
    return result
