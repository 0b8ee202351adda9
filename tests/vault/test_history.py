"""The audit trail of a request's tracking dates, shown on the request's page."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import LossRunRequestFactory
from vault import selectors_history, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _friday_in_november():
    with time_machine.travel(dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.UTC), tick=True):
        yield


def _update(req, user, **dates):
    values = {
        "first_request_on": req.first_request_on,
        "second_request_at": req.second_request_at,
        "received_on": req.received_on,
    }
    values.update(dates)
    policies = [
        services.PolicyData(p.policy_number, p.term_start, p.term_end, p.line_of_business, p.pk)
        for p in req.policies.all()
    ]
    return services.request_update(
        agency=req.agency,
        request=req,
        user=user,
        insured=req.insured,
        carrier=req.carrier,
        policies=policies,
        years_requested=req.years_requested,
        recipient_name=req.recipient_name,
        recipient_email=req.recipient_email,
        notes=req.notes,
        **values,
    )


def test_history_lists_who_changed_which_date(agency, owner, member):
    req = LossRunRequestFactory(agency=agency, created_by=owner)
    _update(req, member, first_request_on=dt.date(2026, 11, 2))
    _update(req, owner, received_on=dt.date(2026, 11, 10))
    history = selectors_history.request_history(agency=agency, request=req)
    assert [e.who for e in history][:2] == [owner.get_full_name(), member.get_full_name()]
    assert [(c.label, c.old, c.new) for c in history[0].changes] == [
        ("Received", "—", "Nov 10, 2026")
    ]
    assert [(c.label, c.old, c.new) for c in history[1].changes] == [
        ("1st Request", "—", "Nov 2, 2026")
    ]


def test_schedule_refresh_adds_no_history_rows(agency, owner):
    from tracker.schedule import request_schedule_refresh

    req = LossRunRequestFactory(agency=agency, created_by=owner)
    before = req.history.count()
    request_schedule_refresh(req)
    assert req.history.count() == before


def test_history_is_shown_on_the_edit_page(owner_client, agency, owner, member):
    req = LossRunRequestFactory(agency=agency, created_by=owner)
    _update(req, member, first_request_on=dt.date(2026, 11, 2))
    response = owner_client.get(reverse("vault:request_edit", args=[req.pk]))
    html = response.content.decode()
    assert "History" in html
    assert member.get_full_name() in html
    assert "1st Request" in html and "Nov 2, 2026" in html


def test_history_of_another_agencys_request_is_refused(agency, other_agency):
    req = LossRunRequestFactory(agency=other_agency)
    with pytest.raises(ValueError):
        selectors_history.request_history(agency=agency, request=req)
