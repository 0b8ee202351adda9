"""Status and next action derived from the dates, in Python and in the database alike."""

import datetime as dt

import pytest

from tests.factories import LossRunRequestFactory
from vault.models import LossRunRequest
from vault.status import NextAction, Status, next_action, request_status, status_q

NOW = dt.datetime(2025, 3, 13, 19, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)

CASES = [
    (Status.RECEIVED, {"first_request_on": dt.date(2025, 3, 1), "received_on": dt.date(2025, 3, 5)}),
    (Status.RECEIVED, {"received_on": dt.date(2025, 3, 5)}),
    (Status.DRAFT, {}),
    (Status.DRAFT, {"authorization": "declined"}),
    (Status.AWAITING_SIGNATURE, {"authorization": "awaiting"}),
    (Status.SIGNED, {"authorization": "signed"}),
    (Status.WAITING_ON_CARRIER, {"authorization": "signed", "first_request_on": dt.date(2025, 3, 1), "second_request_due_at": NOW + HOUR}),
    (Status.WAITING_ON_CARRIER, {"first_request_on": dt.date(2025, 3, 1), "second_request_due_at": NOW + HOUR}),
    (Status.SECOND_DUE, {"first_request_on": dt.date(2025, 3, 1), "second_request_due_at": NOW}),
    (
        Status.WAITING_AFTER_SECOND,
        {"first_request_on": dt.date(2025, 3, 1), "second_request_at": NOW - HOUR, "helpdesk_due_at": NOW + HOUR},
    ),
    (
        Status.HELP_DESK,
        {"first_request_on": dt.date(2025, 3, 1), "second_request_at": NOW - HOUR, "helpdesk_due_at": NOW - HOUR},
    ),
    # A ticket open: "with the Help Desk", whatever phase the dates are in (not "due for" it).
    (
        Status.WITH_HELP_DESK,
        {"first_request_on": dt.date(2025, 3, 1), "second_request_at": NOW - HOUR, "helpdesk_due_at": NOW - HOUR, "helpdesk_open": True},
    ),
    (Status.WITH_HELP_DESK, {"first_request_on": dt.date(2025, 3, 1), "second_request_due_at": NOW, "helpdesk_open": True}),
    (Status.RECEIVED, {"first_request_on": dt.date(2025, 3, 1), "received_on": dt.date(2025, 3, 5), "helpdesk_open": True}),
]  # fmt: skip


@pytest.mark.parametrize(("expected", "fields"), CASES)
def test_request_status_in_python(expected, fields):
    assert request_status(LossRunRequest(**fields), NOW) == expected


@pytest.mark.django_db
def test_status_q_agrees_with_python_and_partitions_the_rows(agency):
    made = {}
    for expected, fields in CASES:
        req = LossRunRequestFactory(agency=agency)
        LossRunRequest.objects.filter(pk=req.pk).update(**fields)
        made.setdefault(expected, set()).add(req.pk)
    seen = set()
    for status in Status.LABELS:
        ids = set(LossRunRequest.objects.filter(status_q(status, NOW)).values_list("pk", flat=True))
        assert ids == made.get(status, set()), status
        assert not ids & seen
        seen |= ids
    assert len(seen) == len(CASES)


def test_status_q_refuses_unknown_status():
    with pytest.raises(ValueError):
        status_q("nope", NOW)


def test_next_action_labels_and_dues():
    second_due = LossRunRequest(
        id=7, first_request_on=dt.date(2025, 3, 1), second_request_due_at=NOW - HOUR
    )
    action = next_action(second_due, NOW)
    assert action.due_at == NOW - HOUR
    assert action.url(7) == "/vault/requests/7/send/"
    assert next_action(LossRunRequest(received_on=dt.date(2025, 3, 1)), NOW).url(1) is None


def test_a_renamed_target_page_fails_loudly():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        NextAction("x", None, "helpdesk:no_such_page").url(1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "shift", [-2 * HOUR, dt.timedelta(0), 2 * HOUR], ids=["before", "at", "after"]
)
def test_status_count_and_counts_agree_with_the_filters(agency, shift):
    """status_counts runs its SQL built once with stand-in values: the same counts as each
    status's filter, for the whole agency and for one owner, whatever the clock says."""
    from tests.factories import AgencyFactory, UserFactory
    from vault.selectors_counts import status_count, status_counts

    owner = UserFactory(agency=agency)
    for i, (_expected, fields) in enumerate(CASES):
        req = LossRunRequestFactory(agency=agency, owner=owner if i % 2 else None)
        LossRunRequest.objects.filter(pk=req.pk).update(**fields)
    LossRunRequestFactory(agency=AgencyFactory())  # another agency's never counts
    now = NOW + shift
    counts = status_counts(agency=agency, now=now)
    mine = status_counts(agency=agency, now=now, owner=owner)
    assert sum(counts.values()) == len(CASES) and 0 < sum(mine.values()) < len(CASES)
    for status in Status.LABELS:
        in_status = LossRunRequest.objects.filter(status_q(status, now), agency=agency)
        expected = in_status.count()
        assert status_count(agency=agency, now=now, status=status) == expected == counts[status]
        assert mine[status] == in_status.filter(owner=owner).count()


def test_a_request_without_its_1st_request_is_due_by_the_day5_reminder_and_stays_overdue():
    """After the day-5 reminder went out (next_due_at empty) the step is still overdue."""
    stuck = LossRunRequest(id=3, first_request_due_at=NOW - 24 * HOUR, next_due_at=None)
    action = next_action(stuck, NOW)
    assert action.due_at == NOW - 24 * HOUR and action.due_at <= NOW
    fresh = LossRunRequest(id=4, first_request_due_at=NOW + 24 * HOUR, next_due_at=NOW + HOUR)
    assert next_action(fresh, NOW).due_at == NOW + 24 * HOUR > NOW


def test_waiting_steps_are_marked_so_pages_show_no_link():
    waiting = LossRunRequest(first_request_on=dt.date(2025, 3, 1), second_request_due_at=NOW + HOUR)
    assert next_action(waiting, NOW).waiting is True
    due = LossRunRequest(first_request_on=dt.date(2025, 3, 1), second_request_due_at=NOW - HOUR)
    assert next_action(due, NOW).waiting is False
    with_helpdesk = LossRunRequest(first_request_on=dt.date(2025, 3, 1), helpdesk_open=True)
    action = next_action(with_helpdesk, NOW)
    assert action.waiting is True and action.label == "With the Help Desk"
