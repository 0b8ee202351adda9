"""Dates a person can mistype: clear field errors, DST wall times, a second open request."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.factories import CarrierFactory, InsuredFactory, LossRunRequestFactory
from tests.vault.test_views import builder_post
from vault.forms import AgencyDateTimeField, RequestForm
from vault.models import LossRunRequest
from vault.rules import tracking_dates_errors

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=NY)


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


def form(agency, data, current=None, **changes):
    return RequestForm({**data, **changes}, agency=agency, current=current)


# --- dates far before the request's creation ------------------------------------------------


@pytest.mark.parametrize(
    ("first", "valid"),
    [("2026-08-22", True), ("2026-08-21", False), ("1989-12-31", False), ("0001-01-01", False)],
)
def test_first_request_date_at_most_90_days_before_creation(agency, data, first, valid):
    f = form(agency, data, first_request_on=first)
    assert f.is_valid() is valid, f.errors
    if not valid:
        (message,) = f.errors["first_request_on"]
        assert "more than 90 days before this request was created (Nov 20, 2026)" in message
        assert "Check the year" in message


def test_received_date_far_before_creation_is_refused(agency, data):
    assert "received_on" in form(agency, data, received_on="2025-11-20").errors
    assert form(agency, data, received_on="2026-11-19").is_valid()


def test_an_edit_counts_from_the_request_creation_not_today(agency, data):
    req = LossRunRequestFactory(agency=agency, created_at=dt.datetime(2026, 3, 2, 10, tzinfo=NY))
    assert form(agency, data, current=req, first_request_on="2026-01-01").is_valid()
    assert (
        "first_request_on" in form(agency, data, current=req, first_request_on="2025-12-01").errors
    )


def test_a_second_request_after_a_refused_first_date_gets_one_message_only(agency, data):
    f = form(agency, data, first_request_on="1989-01-01", second_request_at="2026-11-19T10:00")
    assert "first_request_on" in f.errors and "second_request_at" not in f.errors


def test_the_dates_card_answers_a_1989_date_with_a_field_error_not_a_500(owner_client, agency):
    req = LossRunRequestFactory(agency=agency, policies=["GL-1"], notes="keep me")
    url = reverse("vault:request_dates", kwargs={"request_id": req.pk})
    response = owner_client.post(url, {"first_request_on": "1989-03-03", "received_on": ""})
    assert response.status_code == 200
    assert "more than 90 days before this request was created" in response.text
    assert 'value="1989-03-03"' in response.text and "keep me" in response.text
    req.refresh_from_db()
    assert req.first_request_on is None


def test_the_service_refuses_too_early_dates_too(agency):
    errors = tracking_dates_errors(
        agency=agency,
        first_request_on=dt.date(1970, 1, 1),
        second_request_at=None,
        received_on=None,
    )
    assert list(errors) == ["first_request_on"]


# --- 2nd-request times on the nights the clocks change ---------------------------------------


def wall_field(tz=NY):
    return AgencyDateTimeField(tz=tz, required=False)


def test_a_second_request_time_in_the_spring_gap_is_read_as_daylight_time():
    assert wall_field().clean("2026-03-08T02:30") == dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC)
    assert wall_field().clean("2026-03-08T03:30") == dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC)
    assert wall_field().clean("2026-03-08T01:30") == dt.datetime(2026, 3, 8, 6, 30, tzinfo=dt.UTC)


def test_honolulu_has_no_gap_and_reads_every_time_as_it_is():
    honolulu = ZoneInfo("Pacific/Honolulu")
    assert wall_field(honolulu).clean("2026-03-08T02:30") == dt.datetime(
        2026, 3, 8, 12, 30, tzinfo=dt.UTC
    )


def test_a_repeated_time_when_the_clocks_fall_back_is_its_first_occurrence():
    field = wall_field()
    assert field.clean("2026-11-01T01:30") == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)
    assert field.clean("2026-11-01T03:30") == dt.datetime(2026, 11, 1, 8, 30, tzinfo=dt.UTC)
    assert field.clean("") is None


def test_the_edit_form_accepts_a_gap_time_end_to_end(agency, data):
    created = dt.datetime(2026, 3, 2, 9, tzinfo=NY)
    req = LossRunRequestFactory(agency=agency, created_at=created, first_request_on=None)
    f = form(
        agency,
        data,
        current=req,
        first_request_on="2026-03-02",
        second_request_at="2026-03-08T02:30",
    )
    assert f.is_valid(), f.errors
    assert f.cleaned_data["second_request_at"] == dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC)


def test_re_saving_keeps_a_stored_second_occurrence_of_a_repeated_time(agency, data):
    second = dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)  # 01:30 EST, the second 01:30
    req = LossRunRequestFactory(
        agency=agency,
        created_at=dt.datetime(2026, 10, 20, 9, tzinfo=NY),
        first_request_on=dt.date(2026, 10, 20),
        second_request_at=second,
    )
    same = form(
        agency,
        data,
        current=req,
        first_request_on="2026-10-20",
        second_request_at="2026-11-01T01:30",
    )
    assert same.is_valid(), same.errors
    assert same.cleaned_data["second_request_at"] == second
    moved = form(
        agency,
        data,
        current=req,
        first_request_on="2026-10-20",
        second_request_at="2026-11-01T01:45",
    )
    assert moved.is_valid(), moved.errors
    assert moved.cleaned_data["second_request_at"] == dt.datetime(2026, 11, 1, 5, 45, tzinfo=dt.UTC)


# --- a second open request for the same insured and carrier ---------------------------------


def test_the_builder_warns_before_a_second_open_request_for_the_same_pair(agency, data):
    insured = InsuredFactory(agency=agency)
    carrier = CarrierFactory()
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier)
    data.update(insured=str(insured.pk), carrier=str(carrier.pk))
    f = form(agency, data)
    assert not f.is_valid()
    (message,) = f.errors["confirm_duplicate"]
    assert "already has an open request" in message and "Tick the box" in message
    assert form(agency, data, confirm_duplicate="on").is_valid()


def test_no_warning_for_a_received_request_another_carrier_or_another_agency(agency, data):
    insured = InsuredFactory(agency=agency)
    carrier = CarrierFactory()
    LossRunRequestFactory(
        agency=agency, insured=insured, carrier=carrier, received_on=dt.date(2026, 11, 2)
    )
    LossRunRequestFactory(agency=agency, insured=insured, carrier=CarrierFactory())
    data.update(insured=str(insured.pk), carrier=str(carrier.pk))
    assert form(agency, data).is_valid()


def test_editing_the_open_request_itself_does_not_warn(agency, data):
    insured = InsuredFactory(agency=agency)
    carrier = CarrierFactory()
    req = LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier)
    data.update(insured=str(insured.pk), carrier=str(carrier.pk))
    assert form(agency, data, current=req).is_valid()


def test_the_builder_page_shows_the_warning_keeps_the_input_and_saves_once_confirmed(
    owner_client, agency
):
    insured = InsuredFactory(agency=agency)
    carrier = CarrierFactory()
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier)
    post = builder_post(insured, carrier, notes="second one, other policy")
    url = reverse("vault:request_create")
    response = owner_client.post(url, post)
    assert response.status_code == 200
    assert "already has an open request" in response.text
    assert (
        'name="confirm_duplicate"' in response.text and "second one, other policy" in response.text
    )
    assert LossRunRequest.objects.filter(insured=insured).count() == 1
    response = owner_client.post(url, {**post, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert LossRunRequest.objects.filter(insured=insured).count() == 2
