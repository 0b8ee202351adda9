"""Writes of a request's tracking dates alone (the request page's next-step card).

The card saves the 1st-request, 2nd-request and received dates without the rest of the
request, so a date typed there is stored the moment it is saved, whatever else the agent
does on the page afterwards (upload a document, leave).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Agency, User
from accounts.tenancy import scoped
from vault.derived import request_derived_refresh
from vault.models import LossRunRequest
from vault.rules import tracking_dates_errors
from vault.scheduling import schedule_refresh

DATE_FIELDS = ("first_request_on", "second_request_at", "received_on")


@transaction.atomic
def request_dates_update(
    *,
    agency: Agency,
    request: LossRunRequest,
    user: User | None,
    first_request_on: dt.date | None,
    second_request_at: dt.datetime | None,
    received_on: dt.date | None,
) -> LossRunRequest:
    """Store the three tracking dates as given (vault.rules.tracking_dates_errors) and
    re-time the tracker's notices; nothing else of the request changes."""
    req = scoped(LossRunRequest.objects.select_for_update(), agency).get(pk=request.pk)
    errors = tracking_dates_errors(
        agency=agency,
        first_request_on=first_request_on,
        second_request_at=second_request_at,
        received_on=received_on,
        created_at=req.created_at,
    )
    if errors:
        raise ValidationError(errors)
    req.first_request_on = first_request_on
    req.second_request_at = second_request_at
    req.received_on = received_on
    req._history_user = user  # simple_history reads it
    req.save(update_fields=[*DATE_FIELDS, "updated_at"])
    schedule_refresh(req)
    request_derived_refresh(req)
    return req
