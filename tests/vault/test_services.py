"""Services: every domain rule both ways, and the tracker schedule refreshed on every write."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.factories import (
    AgencyFactory,
    CarrierFactory,
    InsuredFactory,
    LossRunRequestFactory,
    UserFactory,
)
from vault import services
from vault.models import Carrier, LossRunRequest, Policy
from vault.rules import PolicyData

pytestmark = pytest.mark.django_db

# Thursday 2025-03-13, 15:00 New York time.
NOW = dt.datetime(2025, 3, 13, 19, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def parties(agency):
    return {
        "insured": InsuredFactory(agency=agency),
        "carrier": CarrierFactory(),
        "user": UserFactory(agency=agency),
    }


def policy(number="GL-1", start=dt.date(2024, 1, 1), end=dt.date(2025, 1, 1), **kw):
    return PolicyData(policy_number=number, term_start=start, term_end=end, **kw)


def create(agency, parties, **overrides):
    fields = {
        "agency": agency,
        "policies": [policy()],
        "recipient_name": "Pat Agent",
        "recipient_email": "pat@agency.test",
        **parties,
        **overrides,
    }
    return services.request_create(**fields)


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


# Create --------------------------------------------------------------------------------


def test_create_stores_request_policies_and_sets_the_schedule(agency, parties):
    req = create(
        agency, parties, policies=[policy("GL-1"), policy("AU-2", line_of_business="AUTO")]
    )

    req.refresh_from_db()
    assert req.agency == agency
    assert req.created_by == parties["user"]
    assert sorted(req.policies.values_list("policy_number", flat=True)) == ["AU-2", "GL-1"]
    assert set(Policy.objects.filter(request=req).values_list("agency_id", flat=True)) == {
        agency.pk
    }
    # No first request yet: the day-2 reminder is the next thing due (Mon 03/17 08:00 local).
    assert req.next_due_at == dt.datetime(2025, 3, 17, 12, 0, tzinfo=dt.UTC)
    assert req.second_request_due_at is None


def test_create_with_first_request_sets_second_request_due(agency, parties):
    req = create(agency, parties, first_request_on=dt.date(2025, 3, 3))
    req.refresh_from_db()
    # 10 business days after Mon 03/03 is Mon 03/17, at the 08:00 notify time (EDT).
    assert req.second_request_due_at == dt.datetime(2025, 3, 17, 12, 0, tzinfo=dt.UTC)


def test_create_records_history_with_the_user(agency, parties):
    req = create(agency, parties)
    assert req.history.count() == 1
    assert req.history.first().history_user == parties["user"]


def test_create_needs_at_least_one_policy(agency, parties):
    with pytest.raises(ValidationError) as exc:
        create(agency, parties, policies=[])
    assert "policies" in errors_of(exc)
    assert not LossRunRequest.objects.exists()


def test_create_refuses_blank_policy_number(agency, parties):
    with pytest.raises(ValidationError) as exc:
        create(agency, parties, policies=[policy("  ")])
    assert "policies" in errors_of(exc)


def test_term_must_end_after_it_starts(agency, parties):
    with pytest.raises(ValidationError) as exc:
        create(
            agency, parties, policies=[policy(start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 1))]
        )
    assert "end after it starts" in " ".join(errors_of(exc)["policies"])
    assert create(
        agency, parties, policies=[policy(start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 2))]
    )


def test_first_request_date_not_in_the_future_in_agency_time(agency, parties):
    # 21:30 in New York on 03/13 is already 03/14 in UTC: 03/13 is still "today".
    with time_machine.travel(dt.datetime(2025, 3, 14, 1, 30, tzinfo=dt.UTC), tick=False):
        assert create(agency, parties, first_request_on=dt.date(2025, 3, 13))
        with pytest.raises(ValidationError) as exc:
            create(agency, parties, first_request_on=dt.date(2025, 3, 14))
    assert "first_request_on" in errors_of(exc)


def test_received_date_not_in_the_future(agency, parties):
    with pytest.raises(ValidationError) as exc:
        create(agency, parties, received_on=dt.date(2025, 3, 14))
    assert "received_on" in errors_of(exc)
    assert create(agency, parties, received_on=dt.date(2025, 3, 13))


def test_second_request_not_in_the_future(agency, parties):
    with pytest.raises(ValidationError) as exc:
        create(
            agency,
            parties,
            first_request_on=dt.date(2025, 3, 3),
            second_request_at=NOW + dt.timedelta(minutes=5),
        )
    assert "second_request_at" in errors_of(exc)
    assert create(agency, parties, first_request_on=dt.date(2025, 3, 3), second_request_at=NOW)


def test_second_request_needs_a_first_request(agency, parties):
    with pytest.raises(ValidationError) as exc:
        create(agency, parties, second_request_at=NOW - dt.timedelta(days=1))
    assert "1st request" in " ".join(errors_of(exc)["second_request_at"])


def test_second_request_not_before_the_first(agency, parties):
    # 03/10 00:30 New York is 03/10 04:30 UTC; first request 03/10 -> same day is fine.
    same_day = dt.datetime(2025, 3, 10, 4, 30, tzinfo=dt.UTC)
    assert create(
        agency, parties, first_request_on=dt.date(2025, 3, 10), second_request_at=same_day
    )
    # 03/09 23:30 New York (03/10 03:30 UTC) is the day before the first request.
    day_before_local = dt.datetime(2025, 3, 10, 3, 30, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as exc:
        create(
            agency,
            parties,
            first_request_on=dt.date(2025, 3, 10),
            second_request_at=day_before_local,
        )
    assert "before the 1st request" in " ".join(errors_of(exc)["second_request_at"])


def test_received_not_before_the_first_request(agency, parties):
    with pytest.raises(ValidationError) as exc:
        create(
            agency, parties, first_request_on=dt.date(2025, 3, 10), received_on=dt.date(2025, 3, 7)
        )
    assert "received_on" in errors_of(exc)
    assert create(
        agency, parties, first_request_on=dt.date(2025, 3, 10), received_on=dt.date(2025, 3, 10)
    )


def test_received_without_first_request_is_allowed(agency, parties):
    req = create(agency, parties, received_on=dt.date(2025, 3, 1))
    req.refresh_from_db()
    assert req.next_due_at is None


def test_create_refuses_another_agencys_insured_or_private_carrier(agency, parties):
    other = AgencyFactory()
    with pytest.raises(ValidationError) as exc:
        create(agency, parties, insured=InsuredFactory(agency=other))
    assert "insured" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        create(agency, parties, carrier=CarrierFactory(agency=other))
    assert "carrier" in errors_of(exc)
    assert create(agency, parties, carrier=CarrierFactory(agency=agency))


# Update --------------------------------------------------------------------------------


def update(req, parties, **overrides):
    fields = {
        "agency": req.agency,
        "request": req,
        "user": parties["user"],
        "insured": req.insured,
        "carrier": req.carrier,
        "policies": [
            PolicyData(
                id=p.pk,
                policy_number=p.policy_number,
                term_start=p.term_start,
                term_end=p.term_end,
                line_of_business=p.line_of_business,
            )
            for p in req.policies.all()
        ],
        "years_requested": req.years_requested,
        "recipient_name": req.recipient_name,
        "recipient_email": req.recipient_email or "pat@agency.test",
        "notes": req.notes,
        "first_request_on": req.first_request_on,
        "second_request_at": req.second_request_at,
        "received_on": req.received_on,
        **overrides,
    }
    return services.request_update(**fields)


def test_update_dates_refreshes_the_schedule(agency, parties):
    req = create(agency, parties, first_request_on=dt.date(2025, 3, 3))
    second = dt.datetime(2025, 3, 12, 14, 0, tzinfo=dt.UTC)  # Wed 10:00 EDT
    update(req, parties, second_request_at=second)
    req.refresh_from_db()
    assert req.second_request_due_at is None
    assert req.helpdesk_due_at == dt.datetime(2025, 3, 13, 14, 0, tzinfo=dt.UTC)
    assert req.next_due_at == req.helpdesk_due_at

    update(req, parties, received_on=dt.date(2025, 3, 13))
    req.refresh_from_db()
    assert req.next_due_at is None and req.helpdesk_due_at is None


def test_update_keeps_edits_and_deletes_policies(agency, parties):
    req = create(agency, parties, policies=[policy("A-1"), policy("B-2")])
    a, b = sorted(req.policies.all(), key=lambda p: p.policy_number)
    update(
        req,
        parties,
        policies=[
            PolicyData(
                id=a.pk, policy_number="A-1-renamed", term_start=a.term_start, term_end=a.term_end
            ),
            policy("C-3"),
        ],
    )
    numbers = dict(req.policies.values_list("pk", "policy_number"))
    assert numbers[a.pk] == "A-1-renamed"
    assert b.pk not in numbers
    assert sorted(numbers.values()) == ["A-1-renamed", "C-3"]


def test_update_ignores_policy_ids_of_another_request(agency, parties):
    mine = create(agency, parties)
    foreign = LossRunRequestFactory(policies=["X-9"])
    foreign_policy = foreign.policies.get()
    update(mine, parties, policies=[policy("X-9", id=foreign_policy.pk)])
    foreign_policy.refresh_from_db()
    assert foreign_policy.request == foreign  # untouched
    assert mine.policies.get().pk != foreign_policy.pk


def test_update_validates_like_create(agency, parties):
    req = create(agency, parties)
    with pytest.raises(ValidationError) as exc:
        update(req, parties, second_request_at=NOW - dt.timedelta(hours=1))
    assert "second_request_at" in errors_of(exc)
    req.refresh_from_db()
    assert req.second_request_at is None


def test_update_refuses_a_request_of_another_agency(agency, parties):
    foreign = LossRunRequestFactory()
    with pytest.raises(ValidationError):
        update(foreign, parties, agency=agency)


def test_update_keeps_history(agency, parties):
    req = create(agency, parties)
    update(req, parties, first_request_on=dt.date(2025, 3, 12))
    assert req.history.count() == 2
    assert req.history.first().first_request_on == dt.date(2025, 3, 12)


# Received (help desk) ------------------------------------------------------------------


def test_record_received_sets_date_stops_notices_and_keeps_history(agency, parties):
    req = create(agency, parties, first_request_on=dt.date(2025, 3, 3))
    staff = UserFactory(agency=None, is_staff=True)
    out = services.request_record_received(
        request=req, received_on=dt.date(2025, 3, 13), actor=staff
    )
    req.refresh_from_db()
    assert out.received_on == req.received_on == dt.date(2025, 3, 13)
    assert req.next_due_at is None and req.second_request_due_at is None
    assert req.history.first().history_user == staff


def test_record_received_keeps_an_existing_date(agency, parties):
    req = create(
        agency, parties, first_request_on=dt.date(2025, 3, 3), received_on=dt.date(2025, 3, 5)
    )
    services.request_record_received(request=req, received_on=dt.date(2025, 3, 13))
    req.refresh_from_db()
    assert req.received_on == dt.date(2025, 3, 5)


def test_record_received_validates_the_date(agency, parties):
    req = create(agency, parties, first_request_on=dt.date(2025, 3, 10))
    with pytest.raises(ValidationError):
        services.request_record_received(request=req, received_on=dt.date(2025, 3, 7))
    with pytest.raises(ValidationError):
        services.request_record_received(request=req, received_on=dt.date(2025, 3, 14))
    req.refresh_from_db()
    assert req.received_on is None


# Insureds and carriers -----------------------------------------------------------------


def test_insured_create_and_update(agency):
    insured = services.insured_create(agency=agency, legal_name="  Acme Roofing LLC ", dba="Acme")
    assert insured.legal_name == "Acme Roofing LLC" and insured.agency == agency
    services.insured_update(agency=agency, insured=insured, signer_name="Jo Doe")
    insured.refresh_from_db()
    assert insured.signer_name == "Jo Doe"


def test_insured_create_validates(agency):
    with pytest.raises(ValidationError):
        services.insured_create(agency=agency, legal_name="")
    with pytest.raises(ValidationError):
        services.insured_create(agency=agency, legal_name="Acme", signer_email="not-an-email")


def test_insured_update_refuses_other_agency(agency):
    foreign = InsuredFactory()
    with pytest.raises(ValidationError):
        services.insured_update(agency=agency, insured=foreign, legal_name="Mine now")


def test_private_carrier_and_promotion(agency):
    carrier = services.carrier_create_private(
        agency=agency, legal_name="Tiny Mutual", naic_code="99999"
    )
    assert carrier.is_private and carrier.agency == agency
    assert carrier not in Carrier.objects.visible_to(AgencyFactory())
    services.carrier_promote(carrier=carrier)
    carrier.refresh_from_db()
    assert carrier.agency is None
    assert carrier in Carrier.objects.visible_to(AgencyFactory())
