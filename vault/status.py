"""A request's status and next action, derived from its dates and due columns (never stored)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from vault.models import Authorization


class Status:
    # Before the 1st request: the insured's authorization (vault.models.Authorization).
    DRAFT = "draft"
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    WAITING_ON_CARRIER = "waiting"
    SECOND_DUE = "second_due"
    WAITING_AFTER_SECOND = "waiting_second"
    HELP_DESK = "help_desk"  # the carrier's 24 hours ran out: due for the Help Desk
    WITH_HELP_DESK = "with_help_desk"  # a ticket is open: the Help Desk works it
    RECEIVED = "received"

    LABELS = {
        DRAFT: "Draft",
        AWAITING_SIGNATURE: "Awaiting signature",
        SIGNED: "Signed",
        WAITING_ON_CARRIER: "Sent to carrier",
        SECOND_DUE: "2nd request due",
        WAITING_AFTER_SECOND: "Waiting after 2nd request",
        HELP_DESK: "Due for the Help Desk",
        WITH_HELP_DESK: "With the Help Desk",
        RECEIVED: "Received",
    }
    CHOICES = list(LABELS.items())
    BEFORE_FIRST = (DRAFT, AWAITING_SIGNATURE, SIGNED)
    NEEDS_ACTION = (DRAFT, SIGNED, SECOND_DUE, HELP_DESK)
    # A filter of the vault list, not a status: open requests past their statutory due date.
    PAST_STATUTORY = "past_statutory"
    FILTERS = {**LABELS, PAST_STATUTORY: "Past the statutory deadline"}


# Which authorization stages each before-the-1st-request status covers (a declined
# signature is a draft again: the agency has to get it signed another way).
_AUTHORIZATION_OF = {
    Status.DRAFT: (Authorization.DRAFT, Authorization.DECLINED),
    Status.AWAITING_SIGNATURE: (Authorization.AWAITING,),
    Status.SIGNED: (Authorization.SIGNED,),
}


def status_q(status: str, now: dt.datetime) -> Q:
    """The queryset filter for one status, evaluated in the database.

    An open Help Desk ticket outranks the dates: such a request is "with the Help Desk"
    whatever phase its dates are in (request_status says the same for one row)."""
    received = Q(received_on__isnull=False)
    if status == Status.RECEIVED:
        return received
    if status == Status.WITH_HELP_DESK:
        return Q(received_on__isnull=True, helpdesk_open=True)
    open_ = Q(received_on__isnull=True, helpdesk_open=False)
    if status in _AUTHORIZATION_OF:
        return (
            open_
            & Q(first_request_on__isnull=True)
            & Q(authorization__in=_AUTHORIZATION_OF[status])
        )
    first_only = open_ & Q(first_request_on__isnull=False, second_request_at__isnull=True)
    if status == Status.WAITING_ON_CARRIER:
        return first_only & Q(second_request_due_at__gt=now)
    if status == Status.SECOND_DUE:
        return first_only & Q(second_request_due_at__lte=now)
    after_second = open_ & Q(first_request_on__isnull=False, second_request_at__isnull=False)
    if status == Status.WAITING_AFTER_SECOND:
        return after_second & Q(helpdesk_due_at__gt=now)
    if status == Status.HELP_DESK:
        return after_second & Q(helpdesk_due_at__lte=now)
    raise ValueError(f"Unknown status {status!r}")


@dataclass(frozen=True)
class NextAction:
    label: str
    due_at: dt.datetime | None
    url_name: str | None
    # A step with nothing to do but wait: shown as plain text, never as a link or button.
    waiting: bool = False

    def url(self, request_id: int) -> str | None:
        """The page to act on, or None when the step has none."""
        if not self.url_name:
            return None
        return reverse(self.url_name, kwargs={"request_id": request_id})


def request_status(req, now: dt.datetime) -> str:
    if req.received_on:
        return Status.RECEIVED
    if req.helpdesk_open:
        return Status.WITH_HELP_DESK
    if req.first_request_on is None:
        for status, stages in _AUTHORIZATION_OF.items():
            if req.authorization in stages:
                return status
        raise ValueError(f"Unknown authorization stage {req.authorization!r}")
    if req.second_request_at is None:
        due = req.second_request_due_at
        return Status.SECOND_DUE if due is not None and due <= now else Status.WAITING_ON_CARRIER
    due = req.helpdesk_due_at
    return Status.HELP_DESK if due is not None and due <= now else Status.WAITING_AFTER_SECOND


def next_action(req, now: dt.datetime) -> NextAction:
    status = request_status(req, now)
    if status == Status.RECEIVED:
        return NextAction("None: loss runs received", None, None, waiting=True)
    if status == Status.WITH_HELP_DESK:
        return NextAction("With the Help Desk", None, None, waiting=True)
    if status == Status.DRAFT:
        label = (
            "Signature declined: see why, send again or upload a signed letter"
            if req.authorization == Authorization.DECLINED
            else "Get the authorization signed"
        )
        return NextAction(label, req.first_request_due_at, "dispatch:request_send")
    if status == Status.AWAITING_SIGNATURE:
        return NextAction(
            "Wait for the insured's signature",
            req.first_request_due_at,
            "dispatch:request_send",
            waiting=True,
        )
    if status == Status.SIGNED:
        return NextAction(
            "Send the 1st request to the carrier", req.first_request_due_at, "dispatch:request_send"
        )
    if status == Status.WAITING_ON_CARRIER:
        return NextAction(
            "Wait for the carrier (2nd request due)",
            req.second_request_due_at,
            "vault:request_edit",
            waiting=True,
        )
    if status == Status.SECOND_DUE:
        return NextAction(
            "Send the 2nd request",
            req.second_request_due_at,
            "dispatch:request_send",
        )
    if status == Status.WAITING_AFTER_SECOND:
        return NextAction(
            "Wait 24 hours after the 2nd request",
            req.helpdesk_due_at,
            "vault:request_edit",
            waiting=True,
        )
    return NextAction("Submit to the Help Desk", req.helpdesk_due_at, "helpdesk:submit")
