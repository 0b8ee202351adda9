"""Staff edit the state rules in the admin; the requests of that state follow."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from statutes.models import StateRule
from tests.factories import CarrierFactory, InsuredFactory, StaffFactory
from vault import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 12, 10, 15, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_editing_a_rule_in_the_admin_moves_the_due_dates(client, agency, owner):
    req = services.request_create(
        agency=agency,
        user=owner,
        insured=InsuredFactory(agency=agency, state="FL"),
        carrier=CarrierFactory(),
        policies=[services.PolicyData("GL-1", dt.date(2025, 1, 1), dt.date(2026, 1, 1))],
        recipient_email="me@agency.test",
        first_request_on=dt.date(2026, 11, 2),
    )
    req.refresh_from_db()
    assert req.statutory_due_on == dt.date(2026, 11, 17)
    client.force_login(StaffFactory())
    rule = StateRule.objects.get(state="FL")
    url = reverse("admin:statutes_staterule_change", args=[rule.pk])
    assert "Fla. Stat. § 627.444" in client.get(url).content.decode()
    data = {
        "state": "FL",
        "citation": rule.citation,
        "confidence": rule.confidence,
        "source_note": rule.source_note,
        "window_days": 20,
        "day_count": "calendar",
        "trigger": "request",
        "trigger_text": rule.trigger_text,
        "history_years": 5,
        "lines": rule.lines,
        "reserves": rule.reserves,
        "regulator": rule.regulator,
    }
    response = client.post(url, data, follow=True)
    assert "recomputed for 1 request(s) in FL" in response.content.decode()
    req.refresh_from_db()
    assert req.statutory_due_on == dt.date(2026, 11, 22)
    client.post(reverse("admin:statutes_staterule_delete", args=[rule.pk]), {"post": "yes"})
    req.refresh_from_db()
    assert req.statutory_due_on is None


def test_the_rules_list_shows_the_uncertain_ones(client):
    client.force_login(StaffFactory())
    html = client.get(
        reverse("admin:statutes_staterule_changelist"), {"confidence__exact": "uncertain"}
    ).content.decode()
    assert "La. R.S. 22:1964(20)(a)" in html
    assert "Fla. Stat." not in html


def test_refresh_command_fills_the_columns(agency):
    from io import StringIO

    from django.core.management import call_command

    from tests.factories import LossRunRequestFactory
    from vault.models import LossRunRequest

    req = LossRunRequestFactory(agency=agency)
    LossRunRequest.objects.filter(pk=req.pk).update(
        first_request_on=dt.date(2026, 11, 2), received_on=dt.date(2026, 11, 9)
    )
    out = StringIO()
    call_command("statutory_refresh", stdout=out)
    assert "Recomputed 1 request(s)." in out.getvalue()
    req.refresh_from_db()
    assert (req.statutory_due_on, req.turnaround_business_days) == (dt.date(2026, 11, 22), 5)


def test_the_rules_list_reads_each_rule_in_few_wrapping_columns(
    client, django_assert_max_num_queries
):
    """Six columns (so the list fits 1366 px beside the admin's navigation and filters),
    each a line and a quieter second line; one query for the rows however many."""
    client.force_login(StaffFactory())
    url = reverse("admin:statutes_staterule_changelist")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    assert response.context["cl"].list_display == [
        "action_checkbox", "state", "window", "covers", "citation", "confidence", "updated"
    ]  # fmt: skip
    fl = StateRule.objects.get(state="FL")
    assert (
        f'<td class="field-window">{fl.window_days} calendar days'
        f'<span class="hd-line2">Any written request</span></td>'
    ) in html
    assert f'{fl.history_years} years<span class="hd-line2">reserves: ' in html
