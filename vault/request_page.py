"""What the request page shows besides its forms: the next-step card, the history, the
e-mails about the request and its statutory deadline (one selector call each)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Agency
from outbox.selectors import emails_about
from vault import derived, selectors, selectors_history
from vault.forms_tracking import TrackingDatesForm, dates_initial
from vault.models import LossRunRequest
from vault.next_step import next_step
from vault.rules import agency_today, years_mismatch_message


def focus_field(request) -> str:
    """The date field an e-mail link asks to focus (?focus=received_on), if one."""
    return request.GET.get("focus", "")


def request_page_context(
    request, agency: Agency, req: LossRunRequest, *, dates_form: TrackingDatesForm | None = None
) -> dict:
    now = timezone.now()
    step = next_step(req, now)
    if dates_form is None:
        dates_form = TrackingDatesForm(
            initial=dates_initial(req),
            agency=agency,
            current=req,
            focus=focus_field(request),
        )
    primary, others = dates_form.split(step.date_field)
    focus = focus_field(request)
    terms = [(p.term_start, p.term_end) for p in req.policies.all()]
    return {
        "row": selectors.request_row(req, now),
        "step": step,
        "dates_form": dates_form,
        "dates_primary": primary,
        "dates_others": others,
        # The folded dates open when a link asks for one of them or one has an error.
        "dates_others_open": any(f.name == focus or f.errors for f in others),
        "years_warning": years_mismatch_message(req.years_requested, terms),
        "history": selectors_history.request_history(agency=agency, request=req),
        "emails": list(emails_about(obj=req, agency=agency)[:100]),
        "deadline": derived.request_deadline(req),
        "kit_due": derived.is_past_statutory(req, agency_today(agency)),
    }
