"""Request Builder forms: field parsing and every domain rule as a field error, both ways."""

import datetime as dt

import pytest
import time_machine

from tests.factories import AgencyFactory, CarrierFactory, InsuredFactory
from vault.forms import PolicyFormSet, RequestForm

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 13, 19, 0, tzinfo=dt.UTC)  # 15:00 in New York


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def data(agency):
    return {
        "insured": str(InsuredFactory(agency=agency).pk),
        "carrier": str(CarrierFactory().pk),
        "years_requested": "5",
        "recipient_name": "Pat Agent",
        "recipient_email": "pat@agency.test",
        "notes": "",
        "first_request_on": "",
        "second_request_at": "",
        "received_on": "",
    }


def form(agency, data, **changes):
    return RequestForm({**data, **changes}, agency=agency)


def test_valid_minimal(agency, data):
    f = form(agency, data)
    assert f.is_valid(), f.errors


def test_insured_of_another_agency_is_refused(agency, data):
    f = form(agency, data, insured=str(InsuredFactory(agency=AgencyFactory()).pk))
    assert not f.is_valid()
    assert "Choose an insured" in f.errors["insured"][0]


def test_private_carrier_visibility(agency, data):
    assert form(agency, data, carrier=str(CarrierFactory(agency=agency).pk)).is_valid()
    f = form(agency, data, carrier=str(CarrierFactory(agency=AgencyFactory()).pk))
    assert not f.is_valid() and "carrier" in f.errors


def test_missing_parties(agency, data):
    f = form(agency, data, insured="", carrier="")
    assert not f.is_valid()
    assert set(f.errors) >= {"insured", "carrier"}


@pytest.mark.parametrize(
    ("changes", "field", "valid"),
    [
        ({"first_request_on": "2025-03-13"}, "first_request_on", True),
        ({"first_request_on": "2025-03-14"}, "first_request_on", False),
        ({"received_on": "2025-03-13"}, "received_on", True),
        ({"received_on": "2025-03-14"}, "received_on", False),
        ({"first_request_on": "2025-03-03", "second_request_at": "2025-03-13T15:00"}, "second_request_at", True),
        ({"first_request_on": "2025-03-03", "second_request_at": "2025-03-13T15:01"}, "second_request_at", False),
        ({"second_request_at": "2025-03-12T09:00"}, "second_request_at", False),
        ({"first_request_on": "2025-03-10", "second_request_at": "2025-03-10T00:05"}, "second_request_at", True),
        ({"first_request_on": "2025-03-10", "second_request_at": "2025-03-09T23:55"}, "second_request_at", False),
        ({"first_request_on": "2025-03-10", "received_on": "2025-03-10"}, "received_on", True),
        ({"first_request_on": "2025-03-10", "received_on": "2025-03-09"}, "received_on", False),
        ({"received_on": "2025-01-09"}, "received_on", True),
        ({"first_request_on": "13/45/2025"}, "first_request_on", False),
    ],
)  # fmt: skip
def test_tracking_rules(agency, data, changes, field, valid):
    f = form(agency, data, **changes)
    assert f.is_valid() is valid, f.errors
    assert (field in f.errors) is (not valid)


def test_second_request_is_read_in_the_agency_time_zone(data):
    agency = AgencyFactory(time_zone="America/Los_Angeles")
    data["insured"] = str(InsuredFactory(agency=agency).pk)
    f = form(agency, data, first_request_on="2025-03-03", second_request_at="2025-03-12T09:30")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["second_request_at"] == dt.datetime(2025, 3, 12, 16, 30, tzinfo=dt.UTC)


def test_second_request_is_shown_in_the_agency_time_zone():
    agency = AgencyFactory(time_zone="America/Chicago")
    f = RequestForm(
        initial={"second_request_at": dt.datetime(2025, 3, 12, 15, 0, tzinfo=dt.UTC)}, agency=agency
    )
    assert 'value="2025-03-12T10:00"' in str(f["second_request_at"])


def test_date_inputs_carry_a_max_of_today(agency):
    html = str(RequestForm(agency=agency)["first_request_on"])
    assert 'type="date"' in html and 'max="2025-03-13"' in html


# Policies --------------------------------------------------------------------------------


def policies(*rows, total=None):
    data = {
        "policies-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "policies-INITIAL_FORMS": "0",
        "policies-MIN_NUM_FORMS": "0",
        "policies-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"policies-{i}-{key}"] = value
    return PolicyFormSet(data, prefix="policies")


ROW = {
    "policy_number": "GL-1",
    "line_of_business": "GL",
    "term_start": "2024-01-01",
    "term_end": "2025-01-01",
}


def test_one_policy_is_valid():
    fs = policies(ROW)
    assert fs.is_valid(), fs.errors
    assert [p.policy_number for p in fs.policy_data()] == ["GL-1"]


def test_no_policy_is_refused():
    fs = policies()
    assert not fs.is_valid()
    assert "at least one policy" in fs.non_form_errors()[0]


def test_an_untouched_empty_row_does_not_count():
    fs = policies({"line_of_business": "GL"})
    assert not fs.is_valid()
    assert fs.non_form_errors()


def test_every_removed_is_refused():
    fs = policies({**ROW, "DELETE": "on"})
    assert not fs.is_valid()
    assert fs.non_form_errors()


def test_term_end_after_start():
    fs = policies({**ROW, "term_end": "2024-01-01"})
    assert not fs.is_valid()
    assert "end after it starts" in fs.forms[0].errors["term_end"][0]
    assert policies({**ROW, "term_end": "2024-01-02"}).is_valid()


def test_started_row_without_number_is_an_error():
    fs = policies(ROW, {**ROW, "policy_number": ""})
    assert not fs.is_valid()
    assert "policy_number" in fs.forms[1].errors


def test_term_rule_both_ways():
    from vault import rules

    start = dt.date(2025, 1, 1)
    assert rules.term_ends_after_start(start, start + dt.timedelta(days=1))
    assert not rules.term_ends_after_start(start, start)
    assert not rules.term_ends_after_start(start, start - dt.timedelta(days=1))
    assert rules.policy_term_errors(start, start) == {"term_end": [rules.TERM_ORDER_MESSAGE]}
    assert rules.policy_term_errors(start, None) == {}


def test_database_refuses_a_policy_term_that_ends_before_it_starts(db):
    from django.db import IntegrityError, transaction

    from tests.factories import LossRunRequestFactory
    from vault.models import Policy

    req = LossRunRequestFactory()
    policy = req.policies.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.filter(pk=policy.pk).update(term_end=policy.term_start)
