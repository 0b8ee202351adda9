"""The statutory due date: each rule kind, both ways, and the seeded table."""

import datetime as dt

import pytest

from statutes.models import StateRule
from statutes.rules import Kind, statutory_deadline
from tracker.calendar import BusinessCalendar

FRIDAY = dt.date(2026, 11, 20)  # the week before Thanksgiving (Thursday 11/26)
CAL = BusinessCalendar()


def rule(**fields) -> StateRule:
    values = {
        "state": "FL",
        "window_days": 15,
        "day_count": StateRule.DayCount.CALENDAR,
        "trigger": StateRule.Trigger.REQUEST,
        "trigger_text": "receipt of the written request",
        "citation": "Fla. Stat. § 627.444",
        "confidence": StateRule.Confidence.VERIFIED,
    }
    values.update(fields)
    return StateRule(**values)


def deadline(r, state="FL", first=FRIDAY, condition_met=False):
    return statutory_deadline(
        state=state, rule=r, first_request_on=first, condition_met=condition_met, cal=CAL
    )


def test_calendar_days_count_weekends_and_holidays():
    d = deadline(rule())
    assert d.kind == Kind.DUE
    assert d.due_on == dt.date(2026, 12, 5)  # a Saturday: calendar days do not roll
    assert "Due by Dec 5, 2026: 15 days after the 1st request of Nov 20, 2026" in d.sentence
    assert "Fla. Stat. § 627.444" in d.sentence


def test_business_days_skip_weekends_and_the_agency_holidays():
    ca = rule(state="CA", window_days=10, day_count=StateRule.DayCount.BUSINESS, citation="§ 679.7")
    d = deadline(ca, state="CA", condition_met=True)
    # 23, 24, 25, (26 Thanksgiving), 27, 30, 1, 2, 3, 4, 7
    assert d.due_on == dt.date(2026, 12, 7)
    assert "10 business days" in d.sentence
    closed = BusinessCalendar(closed=[dt.date(2026, 11, 27)])
    d = statutory_deadline(
        state="CA", rule=ca, first_request_on=FRIDAY, condition_met=True, cal=closed
    )
    assert d.due_on == dt.date(2026, 12, 8)


def test_a_conditional_rule_gives_a_sentence_until_its_condition_applies():
    ca = rule(
        state="CA",
        window_days=10,
        day_count=StateRule.DayCount.BUSINESS,
        trigger=StateRule.Trigger.CONDITIONAL,
        trigger_text="the insurer cancels or nonrenews",
        citation="Cal. Ins. Code § 679.7",
    )
    d = deadline(ca, state="CA")
    assert d.kind == Kind.NOT_APPLICABLE
    assert d.due_on is None
    assert d.sentence.startswith(
        "California's rule (Cal. Ins. Code § 679.7) applies only when: the insurer cancels"
    )
    assert "no statutory due date" in d.sentence
    assert deadline(ca, state="CA", condition_met=True).due_on == dt.date(2026, 12, 7)


def test_no_statute_on_file_and_no_state():
    d = deadline(None, state="OH")
    assert (d.kind, d.due_on, d.sentence) == (
        Kind.NO_STATUTE,
        None,
        "No statute on file for Ohio.",
    )
    assert deadline(None, state="").kind == Kind.NO_STATE


def test_no_date_before_the_first_request():
    d = deadline(rule(), first=None)
    assert d.kind == Kind.NOT_STARTED and d.due_on is None
    assert "not sent yet" in d.sentence


def test_uncertain_rules_say_so():
    assert deadline(rule(confidence=StateRule.Confidence.UNCERTAIN)).uncertain
    assert not deadline(rule()).uncertain


@pytest.mark.django_db
def test_the_table_is_seeded_from_the_research_notes():
    rules = {r.state: r for r in StateRule.objects.all()}
    assert len(rules) == 13
    fl = rules["FL"]
    assert (fl.window_days, fl.day_count, fl.history_years, fl.confidence) == (
        15,
        "calendar",
        5,
        "verified",
    )
    ca = rules["CA"]
    assert (ca.window_days, ca.day_count, ca.trigger) == (10, "business", "conditional")
    assert {s for s, r in rules.items() if r.is_uncertain} == {"TX", "LA", "IN"}
    assert rules["NY"].reserves == StateRule.Reserves.NOT_REQUIRED
    assert rules["IL"].reserves == StateRule.Reserves.REQUIRED
