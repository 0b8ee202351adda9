"""A notice's e-mail: queued in the outbox when due, withdrawn when the dates change first.

The tracker decides what is due (tracker.services) and keeps one Notification per
(request, milestone); sending, retries and errors belong to the outbox e-mail the notice
points to. Only an e-mail not yet sent can be withdrawn: one sent (or being sent) is
history and its notice stays as it is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.utils import timezone

from accounts.selectors import agency_mail_recipients
from outbox.models import Email
from outbox.rendering import render_subject
from outbox.services import email_build, email_cancel, emails_queue
from tracker.emails import notice_context
from tracker.models import Notification
from vault.rules import request_agent

logger = logging.getLogger(__name__)

NO_RECIPIENT = "No recipient: the request's owner is inactive and the agency has no addresses."
_RELATED = (
    "agency",
    "request__agency",
    "request__created_by",
    "request__owner",
    "request__insured",
    "request__carrier",
)


def notice_recipients(notice: Notification) -> list[str]:
    """The request's agent (its owner, else its creator) and the agency's copy addresses."""
    req = notice.request
    return agency_mail_recipients(agency=req.agency, user=request_agent(req))


def _build_one(notice: Notification) -> Email | None:
    req = notice.request
    to = notice_recipients(notice)
    if not to:
        notice.status = Notification.Status.CANCELLED
        notice.last_error = NO_RECIPIENT
        return None
    context = notice_context(notice)
    template = f"tracker/{notice.milestone}"
    with timezone.override(req.agency.tz):  # dates in the templates read in the agency's zone
        subject = render_subject(template, context)
        return email_build(
            kind=f"tracker.{notice.milestone}",
            to=to,
            subject=subject,
            template=template,
            context=context,
            agency=req.agency,
            about=req,
            headers={"X-Tracker-Notice": str(notice.pk)},
        )


def notices_queue(
    notice_ids: Iterable[int], *, not_before: dt.datetime | None = None
) -> list[Notification]:
    """Queue the e-mail of each pending notice, in the caller's transaction.

    `not_before`: the sweep's moment (inside the agency's working hours); the outbox never
    re-enqueues the e-mail before it, even when the sweep runs ahead of the clock.
    Returns the notices handled (queued, or cancelled for want of a recipient).
    """
    notices = list(
        Notification.objects.filter(
            pk__in=list(notice_ids), status=Notification.Status.PENDING, email__isnull=True
        )
        .select_related(*_RELATED)
        .prefetch_related("request__policies")
    )
    built = [(notice, _build_one(notice)) for notice in notices]
    to_send = [(notice, email) for notice, email in built if email is not None]
    for _, email in to_send:
        if not_before is not None and email.next_attempt_at < not_before:
            email.next_attempt_at = not_before
    queued = []
    for (notice, _), email in zip(to_send, emails_queue([e for _, e in to_send]), strict=True):
        notice.email = email
        notice.status = Notification.Status.QUEUED
        queued.append(notice)
    # The e-mail differs per row (one CASE update); the status is the same for all of them.
    Notification.objects.bulk_update(queued, ["email"], batch_size=500)
    Notification.objects.filter(pk__in=[n.pk for n in queued]).update(
        status=Notification.Status.QUEUED
    )
    cancelled = [n for n in notices if n.status == Notification.Status.CANCELLED]
    Notification.objects.filter(pk__in=[n.pk for n in cancelled]).update(
        status=Notification.Status.CANCELLED, last_error=NO_RECIPIENT
    )
    return notices


def notices_waiting(*, now: dt.datetime, limit: int) -> list[int]:
    """Pending notices due by `now` that have no e-mail: a withdrawn one whose new due time
    has come, or one from before the outbox."""
    return list(
        Notification.objects.filter(
            status=Notification.Status.PENDING, email__isnull=True, due_at__lte=now
        )
        .order_by("due_at")
        .values_list("id", flat=True)[:limit]
    )


def _unsent(notice: Notification) -> bool:
    """True when the notice has no e-mail, or its e-mail could still be withdrawn (now is)."""
    if notice.email is None:
        return True
    if notice.email.status == Email.Status.CANCELLED:
        return True
    if notice.email.status not in (Email.Status.PENDING, Email.Status.FAILED):
        return False  # sent or being sent: history, left as it is
    email_cancel(email=notice.email)
    return notice.email.status == Email.Status.CANCELLED


def notice_withdraw(*, notice_id: int, reason: str) -> bool:
    """The milestone no longer applies: cancel the notice and its e-mail if not sent yet."""
    notice = Notification.objects.select_related("email").get(pk=notice_id)
    if notice.status == Notification.Status.CANCELLED or not _unsent(notice):
        return False
    Notification.objects.filter(pk=notice_id).update(
        status=Notification.Status.CANCELLED, last_error=reason
    )
    return True


def notice_retime(*, notice_id: int, due_at: dt.datetime) -> bool:
    """The milestone moved: an unsent e-mail is withdrawn and the notice waits (pending)
    for its new due time, when the tracker sweep queues a fresh e-mail."""
    notice = Notification.objects.select_related("email").get(pk=notice_id)
    if notice.status == Notification.Status.CANCELLED or not _unsent(notice):
        return False
    Notification.objects.filter(pk=notice_id).update(
        status=Notification.Status.PENDING, due_at=due_at, email=None
    )
    return True
