"""A request's governing state and statutory due date: set by the services, corrected with
the dates, shown on the request page, filtered in the vault list and listed on Today."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from statutes.models import StateRule
from tests.factories import CarrierFactory, InsuredFactory
from vault import derived, services
from vault.models import LossRunRequest
from vault.status import Status

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 10, 15, 0, tzinfo=dt.UTC)  # Thu 10:00 New York


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def create(agency, user, state="FL", **fields):
    insured = InsuredFactory(agency=agency, state=state)
    return services.request_create(
        agency=agency,
        user=user,
        insured=insured,
        carrier=CarrierFactory(),
        policies=[services.PolicyData("GL-1", dt.date(2025, 1, 1), dt.date(2026, 1, 1))],
        recipient_email="me@agency.test",
        **fields,
    )


def update(req, user, **changes):
    values = {
        "insured": req.insured,
        "carrier": req.carrier,
        "years_requested": req.years_requested,
        "recipient_name": req.recipient_name,
        "recipient_email": req.recipient_email,
        "notes": req.notes,
        "first_request_on": req.first_request_on,
        "second_request_at": req.second_request_at,
        "received_on": req.received_on,
        "governing_state": req.governing_state,
        "statute_condition_met": req.statute_condition_met,
    }
    values.update(changes)
    policies = [
        services.PolicyData(p.policy_number, p.term_start, p.term_end, p.line_of_business, p.pk)
        for p in req.policies.all()
    ]
    services.request_update(agency=req.agency, request=req, user=user, policies=policies, **values)
    req.refresh_from_db()
    return req


def test_governing_state_defaults_to_the_insured_and_the_due_date_follows_the_rule(agency, owner):
    req = create(agency, owner, first_request_on=dt.date(2026, 11, 2))
    req.refresh_from_db()
    assert req.governing_state == "FL"
    assert req.statutory_due_on == dt.date(2026, 11, 17)  # 15 calendar days


def test_no_due_date_before_the_first_request_or_without_a_statute(agency, owner):
    assert create(agency, owner).statutory_due_on is None
    req = create(agency, owner, state="OH", first_request_on=dt.date(2026, 11, 2))
    req.refresh_from_db()
    assert req.statutory_due_on is None
    assert derived.request_deadline(req).sentence == "No statute on file for Ohio."


def test_a_corrected_request_gets_a_new_due_date(agency, owner):
    req = create(agency, owner, first_request_on=dt.date(2026, 11, 2))
    req = update(req, owner, first_request_on=dt.date(2026, 11, 9))
    assert req.statutory_due_on == dt.date(2026, 11, 24)
    req = update(req, owner, governing_state="NY")  # 20 calendar days
    assert req.statutory_due_on == dt.date(2026, 11, 29)
    req = update(req, owner, governing_state="OH")
    assert req.statutory_due_on is None
    req = update(req, owner, governing_state="NY", first_request_on=None)
    assert req.statutory_due_on is None


def test_a_conditional_rule_runs_only_when_the_agency_says_it_applies(agency, owner):
    req = create(agency, owner, state="CA", first_request_on=dt.date(2026, 11, 20))
    req.refresh_from_db()
    assert req.statutory_due_on is None
    assert "applies only when" in derived.request_deadline(req).sentence
    req = update(req, owner, statute_condition_met=True)
    assert req.statutory_due_on == dt.date(2026, 12, 7)  # 10 business days, Thanksgiving


def test_editing_a_rule_recomputes_the_requests_of_its_state(agency, owner):
    req = create(agency, owner, first_request_on=dt.date(2026, 11, 2))
    StateRule.objects.filter(state="FL").update(window_days=30)
    assert derived.state_requests_refresh(state="FL") == 1
    req.refresh_from_db()
    assert req.statutory_due_on == dt.date(2026, 12, 2)
    StateRule.objects.filter(state="FL").delete()
    derived.state_requests_refresh(state="FL")
    req.refresh_from_db()
    assert req.statutory_due_on is None


def test_turnaround_is_counted_in_business_days_once_received(agency, owner):
    req = create(agency, owner, first_request_on=dt.date(2026, 11, 20))
    assert req.turnaround_business_days is None
    services.request_record_received(request=req, received_on=dt.date(2026, 12, 1))
    req.refresh_from_db()
    assert req.turnaround_business_days == 6  # 23, 24, 25, 27, 30, 1 (26: Thanksgiving)


def test_past_the_statutory_deadline_filter_both_ways(owner_client, agency, owner):
    late = create(agency, owner, first_request_on=dt.date(2026, 11, 2))  # due 11/17
    create(agency, owner, first_request_on=dt.date(2026, 12, 1))  # due 12/16
    received = create(agency, owner, first_request_on=dt.date(2026, 11, 2))
    services.request_record_received(request=received, received_on=dt.date(2026, 12, 1))
    assert set(LossRunRequest.objects.filter(derived.statutory_past_q(dt.date(2026, 12, 10)))) == {
        late
    }
    assert derived.is_past_statutory(late, dt.date(2026, 12, 10))
    assert not derived.is_past_statutory(late, dt.date(2026, 11, 17))  # the last day itself
    response = owner_client.get(reverse("vault:list"), {"status": Status.PAST_STATUTORY})
    assert [r.req.pk for r in response.context["page"].rows] == [late.pk]
    assert "Past the statutory deadline" in response.content.decode()


def test_today_lists_requests_past_their_statutory_date(owner_client, agency, owner):
    late = create(agency, owner, first_request_on=dt.date(2026, 11, 2))
    create(agency, owner, first_request_on=dt.date(2026, 12, 1))
    response = owner_client.get(reverse("vault:today"))
    assert response.context["statutory_total"] == 1
    assert [r.req.pk for r in response.context["statutory_rows"]] == [late.pk]
    html = response.content.decode()
    assert "Past the statutory deadline" in html
    assert reverse("escalation:kit_letter", kwargs={"request_id": late.pk}) in html


def test_request_page_shows_the_deadline_and_saves_the_governing_state(owner_client, agency, owner):
    req = create(agency, owner, first_request_on=dt.date(2026, 12, 1))
    url = reverse("vault:request_edit", kwargs={"request_id": req.pk})
    html = owner_client.get(url).content.decode()
    assert "Due by Dec 16, 2026: 15 days after the 1st request of Dec 1, 2026" in html
    assert "Escalation kit" not in html
    late = create(agency, owner, first_request_on=dt.date(2026, 11, 2))
    html = owner_client.get(
        reverse("vault:request_edit", kwargs={"request_id": late.pk})
    ).content.decode()
    assert "Escalation kit" in html
    assert reverse("escalation:kit_complaint", kwargs={"request_id": late.pk}) in html
    assert "Florida Department of Financial Services" in html


def test_a_closed_day_moves_a_business_day_deadline(agency, owner):
    from tracker.agency_settings import agency_closed_day_add

    req = create(
        agency,
        owner,
        state="CA",
        first_request_on=dt.date(2026, 11, 20),
        statute_condition_met=True,
    )
    req.refresh_from_db()
    assert req.statutory_due_on == dt.date(2026, 12, 7)
    agency_closed_day_add(agency=agency, date=dt.date(2026, 11, 27), reason="Office closed")
    req.refresh_from_db()
    assert req.statutory_due_on == dt.date(2026, 12, 8)
