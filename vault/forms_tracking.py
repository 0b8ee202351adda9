"""The tracking dates on their own: the next-step card of the request page saves them
without the rest of the request, so a date typed there is never lost to another form."""

from __future__ import annotations

from django.forms import BoundField

from accounts.models import Agency
from vault.forms import TRACKING_DATES, RequestForm
from vault.models import LossRunRequest

# The card asks in words what each date is (the Builder's column-like labels are terse).
CARD_LABELS = {
    "first_request_on": "Date the 1st request was sent",
    "second_request_at": "When the 2nd request was sent",
    "received_on": "Date the loss runs arrived",
}


class TrackingDatesForm(RequestForm):
    """The Request Builder's three tracking-date fields, parsed and checked exactly as there
    (vault.rules.tracking_dates_errors), and nothing else. Field ids are prefixed `dates-`
    so the card and the details form below it never share an id."""

    def __init__(self, *args, agency: Agency, current: LossRunRequest, focus: str = "", **kwargs):
        kwargs.setdefault("auto_id", "id_dates-%s")
        super().__init__(*args, agency=agency, current=current, **kwargs)
        for name in list(self.fields):
            if name not in TRACKING_DATES:
                del self.fields[name]
        for name, label in CARD_LABELS.items():
            self.fields[name].label = label
        if focus in self.fields:
            self.fields[focus].widget.attrs["autofocus"] = ""

    def split(self, primary: str | None) -> tuple[BoundField | None, list[BoundField]]:
        """The one date the next step asks for, and the others (shown folded)."""
        first = self[primary] if primary in self.fields else None
        return first, [self[name] for name in self.fields if name != primary]


def dates_initial(req: LossRunRequest) -> dict:
    return {name: getattr(req, name) for name in TRACKING_DATES}
