"""The Help Desk admin's statutory column and filter, the kit on a ticket, and the carriers
ranked by open and overdue tickets."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import CarrierFactory, LossRunRequestFactory
from tests.helpdesk.factories import TicketFactory
from vault.derived import request_derived_refresh
from vault.models import LossRunRequest

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def ticket_on(agency, first_request_on, state="FL", carrier=None, **ticket_fields):
    req = LossRunRequestFactory(agency=agency, carrier=carrier or CarrierFactory())
    LossRunRequest.objects.filter(pk=req.pk).update(
        first_request_on=first_request_on, governing_state=state
    )
    req.refresh_from_db()
    request_derived_refresh(req)
    return TicketFactory(request=req, **ticket_fields)


def test_column_and_filter(staff_client, agency):
    late = ticket_on(agency, dt.date(2026, 11, 2))  # due 11/17
    running = ticket_on(agency, dt.date(2026, 12, 1))  # due 12/16
    none = ticket_on(agency, dt.date(2026, 11, 2), state="OH")
    url = reverse("admin:helpdesk_ticket_changelist")
    response = staff_client.get(url)
    html = response.content.decode()
    assert "<strong>PAST</strong> Nov 17, 2026 (FL)" in html
    assert "Dec 16, 2026 (FL)" in html

    def listed(value):
        r = staff_client.get(url, {"statutory": value})
        return {t.pk for t in r.context["cl"].result_list}

    assert listed("past") == {late.pk}
    assert listed("running") == {running.pk}
    assert listed("none") == {none.pk}


def test_ticket_page_links_the_kit_and_serves_its_pdfs(staff_client, agency):
    late = ticket_on(agency, dt.date(2026, 11, 2))
    html = staff_client.get(reverse("admin:helpdesk_ticket_change", args=[late.pk])).content
    letter = reverse("admin:helpdesk_ticket_kit_letter", args=[late.pk])
    complaint = reverse("admin:helpdesk_ticket_kit_complaint", args=[late.pk])
    assert letter.encode() in html and complaint.encode() in html
    for url, phrase in ((letter, "VIA CERTIFIED MAIL"), (complaint, "Attachment A")):
        response = staff_client.get(url)
        assert response["Content-Type"] == "application/pdf"
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert phrase in text
    running = ticket_on(agency, dt.date(2026, 12, 1))
    html = staff_client.get(reverse("admin:helpdesk_ticket_change", args=[running.pk])).content
    assert b"Due by Dec 16, 2026" in html
    assert reverse("admin:helpdesk_ticket_kit_letter", args=[running.pk]).encode() not in html
    response = staff_client.get(reverse("admin:helpdesk_ticket_kit_letter", args=[running.pk]))
    assert response.status_code == 302


def test_carriers_ranked_by_overdue_then_open(staff_client, agency, other_agency):
    slow = CarrierFactory(legal_name="Slow Mutual")
    busy = CarrierFactory(legal_name="Busy Casualty")
    ticket_on(
        agency,
        dt.date(2026, 11, 2),
        carrier=slow,
        first_response_due_at=NOW - dt.timedelta(hours=1),
    )
    for a in (agency, other_agency, other_agency):
        ticket_on(a, dt.date(2026, 12, 1), carrier=busy)
    response = staff_client.get(reverse("admin:helpdesk_ticket_carrier_ranking"))
    rows = response.context["rows"]
    assert [
        (r["request__carrier__legal_name"], r["open"], r["overdue"], r["past_statutory"])
        for r in rows
    ] == [
        ("Slow Mutual", 1, 1, 1),
        ("Busy Casualty", 3, 0, 0),
    ]
    changelist = staff_client.get(reverse("admin:helpdesk_ticket_changelist")).content.decode()
    assert reverse("admin:helpdesk_ticket_carrier_ranking") in changelist
