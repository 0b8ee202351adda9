"""The request page's next-step card: what to do now, the letter for it, the one date to
enter. Built on vault.status (the status and next action are derived there, never here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from vault.documents import CSV_TYPE, PDF_TYPE, XLSX_TYPE
from vault.models import Document, LossRunRequest
from vault.status import NextAction, Status, next_action, request_status

FIRST, SECOND, RECEIVED = "first_request_on", "second_request_at", "received_on"

# The one tracking date each status waits for: before the 1st request its date; while the
# 2nd request is due its moment; otherwise the day the loss runs arrive.
_DATE_FOR = {
    Status.DRAFT: FIRST,
    Status.AWAITING_SIGNATURE: FIRST,
    Status.SIGNED: FIRST,
    Status.WAITING_ON_CARRIER: RECEIVED,
    Status.SECOND_DUE: SECOND,
    Status.WAITING_AFTER_SECOND: RECEIVED,
    Status.HELP_DESK: RECEIVED,
    Status.WITH_HELP_DESK: RECEIVED,
}
_AUTHORIZATION = ("Authorization letter to sign (PDF)", "vault:authorization_letter")
_SECOND_LETTER = ("Second-request letter (PDF)", "vault:second_request_letter")
_LETTER_FOR = {
    Status.DRAFT: _AUTHORIZATION,
    Status.AWAITING_SIGNATURE: _AUTHORIZATION,
    Status.SIGNED: _AUTHORIZATION,
    Status.SECOND_DUE: _SECOND_LETTER,
    Status.WAITING_AFTER_SECOND: _SECOND_LETTER,
}
SPREADSHEETS = (CSV_TYPE, XLSX_TYPE)
# The card's button for a next action that has a page of its own (the others are waits,
# which the card states without a button).
_BUTTON_FOR = {
    Status.DRAFT: "Signature and sending",
    Status.AWAITING_SIGNATURE: "Signature and sending",
    Status.SIGNED: "Send the 1st request",
    Status.SECOND_DUE: "Send the 2nd request",
    Status.HELP_DESK: "Open the Help Desk form",
}


@dataclass(frozen=True)
class Letter:
    label: str
    url: str


@dataclass(frozen=True)
class ClaimsImport:
    """Where a received loss run goes next in Claims."""

    label: str
    url: str


@dataclass(frozen=True)
class NextStep:
    status: str
    action: NextAction
    action_url: str | None
    button: str  # the action page's button text ("" when the step is a wait)
    date_field: str | None  # the one date to enter now (None once received)
    letter: Letter | None
    loss_run: Document | None  # once received: the newest loss run on file, if any
    claims_import: ClaimsImport | None  # once received with a file: its way into Claims

    @property
    def received(self) -> bool:
        return self.status == Status.RECEIVED


def newest_loss_run(req: LossRunRequest) -> Document | None:
    """The newest loss-run document of the request (from its prefetched documents)."""
    runs = [d for d in req.documents.all() if d.kind == Document.Kind.LOSS_RUN]
    return max(runs, key=lambda d: (d.uploaded_at, d.pk), default=None)


def claims_import_for(req: LossRunRequest, doc: Document) -> ClaimsImport:
    """The import that reads `doc`, with it (and the request's carrier) chosen: a PDF opens
    the PDF import, a CSV/XLSX the spreadsheet import; a scan or photo (which neither
    import reads) leads to the insured's claims page to enter its claims by hand."""
    query = urlencode({"carrier": req.carrier_id, "document": doc.pk})
    if doc.content_type == PDF_TYPE:
        url = reverse("claims:pdf_import_start", kwargs={"insured_id": req.insured_id})
        return ClaimsImport(f"Import {doc.original_name} into Claims", f"{url}?{query}")
    if doc.content_type in SPREADSHEETS:
        url = reverse("claims:import_start", kwargs={"insured_id": req.insured_id})
        return ClaimsImport(f"Import {doc.original_name} into Claims", f"{url}?{query}")
    url = reverse("claims:insured_summary", kwargs={"insured_id": req.insured_id})
    return ClaimsImport("Enter its claims in Claims", url)


def next_step(req: LossRunRequest, now: dt.datetime) -> NextStep:
    status = request_status(req, now)
    action = next_action(req, now)
    letter = _LETTER_FOR.get(status)
    loss_run = newest_loss_run(req) if status == Status.RECEIVED else None
    return NextStep(
        status=status,
        action=action,
        action_url=action.url(req.pk) if status in _BUTTON_FOR else None,
        button=_BUTTON_FOR.get(status, ""),
        date_field=_DATE_FOR.get(status),
        letter=Letter(letter[0], reverse(letter[1], args=[req.pk])) if letter else None,
        loss_run=loss_run,
        claims_import=claims_import_for(req, loss_run) if loss_run else None,
    )
