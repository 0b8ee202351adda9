"""Carrier figures: database aggregates per agency and platform-wide (threshold both ways),
the Carriers page and the Request Builder fragment."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from escalation.performance import (
    CarrierFigures,
    agency_carrier_figures,
    platform_carrier_figures,
)
from tests.factories import AgencyFactory, CarrierFactory, LossRunRequestFactory
from tests.helpdesk.factories import TicketFactory
from vault.models import LossRunRequest

pytestmark = pytest.mark.django_db


def sent(agency, carrier, days=None, *, second=False, helpdesk=False):
    """A request sent on 11/02/2026; `days` business days to the loss runs (None: open)."""
    req = LossRunRequestFactory(agency=agency, carrier=carrier)
    LossRunRequest.objects.filter(pk=req.pk).update(
        first_request_on=dt.date(2026, 11, 2),
        second_request_at=timezone.now() if second else None,
        turnaround_business_days=days,
        received_on=dt.date(2026, 11, 30) if days is not None else None,
    )
    if helpdesk:
        TicketFactory(request=req)
    return req


def test_agency_figures_median_p90_and_shares(agency, django_assert_num_queries):
    carrier = CarrierFactory()
    for days in (10, 2, 8, 4):
        sent(agency, carrier, days)
    sent(agency, carrier, 6, second=True, helpdesk=True)
    sent(agency, carrier, None, helpdesk=True)  # still open: counted, not in the percentiles
    LossRunRequestFactory(agency=agency, carrier=carrier)  # never sent: not counted
    with django_assert_num_queries(1):  # one grouped pass over the requests
        figures = agency_carrier_figures(agency=agency)[carrier.pk]
    assert figures == CarrierFigures(
        carrier_id=carrier.pk,
        requests=6,
        received=5,
        median_days=6,
        p90_days=10,
        second_share=1 / 6,
        helpdesk_share=2 / 6,
    )
    assert figures.summary == "usually answers in 6 business days; 1 in 6 needs a 2nd request"
    assert figures.helpdesk_text == "1 in 3 goes to the Help Desk"


def test_agency_figures_count_only_the_agencys_requests(agency, other_agency):
    carrier = CarrierFactory()
    sent(agency, carrier, 3)
    sent(other_agency, carrier, 30, second=True)
    mine = agency_carrier_figures(agency=agency)[carrier.pk]
    assert (mine.requests, mine.median_days, mine.second_share) == (1, 3, 0)
    assert mine.summary == "usually answers in 3 business days; none needed a 2nd request"


@pytest.mark.parametrize(
    ("per_agency", "shown"),
    [((4, 0), False), ((2, 2), False), ((5, 0), False), ((4, 1), True), ((3, 2), True)],
)
def test_platform_figure_needs_five_requests_from_two_agencies(per_agency, shown):
    carrier = CarrierFactory()
    for agency, n in zip((AgencyFactory(), AgencyFactory()), per_agency, strict=True):
        for i in range(n):
            sent(agency, carrier, i + 1)
    figures = platform_carrier_figures()
    assert (carrier.pk in figures) is shown
    if shown:
        assert figures[carrier.pk].requests == 5


def test_carriers_page_lists_figures_and_contacts(owner_client, agency, other_agency):
    carrier = CarrierFactory(legal_name="Granite State Mutual", loss_run_email="lr@granite.test")
    CarrierFactory(agency=other_agency, legal_name="Their Private Carrier")
    mine = CarrierFactory(agency=agency, legal_name="Our Private Carrier")
    for days in (5, 6, 7):
        sent(agency, carrier, days)
    for days in (6, 6):
        sent(other_agency, carrier, days, second=True)
    html = owner_client.get(reverse("escalation:carrier_list")).content.decode()
    assert "Granite State Mutual" in html and "lr@granite.test" in html
    assert "Our Private Carrier" in html and mine.legal_name in html
    assert "Their Private Carrier" not in html
    assert "Usually answers in 6 business days; none needed a 2nd request." in html  # yours
    assert "Usually answers in 6 business days; 1 in 2 needs a 2nd request." in html  # all
    assert other_agency.name not in html


@pytest.mark.parametrize("n", [1, 8])
def test_carriers_page_query_count_is_constant(owner_client, agency, django_assert_num_queries, n):
    other = AgencyFactory()
    for _ in range(n):
        carrier = CarrierFactory()
        for a in (agency, agency, agency, other, other):
            sent(a, carrier, 4)
    # session, user with its agency; page count + carriers; agency and platform figures
    with django_assert_num_queries(6):
        owner_client.get(reverse("escalation:carrier_list"))


def test_request_builder_fragment_for_the_chosen_carrier(owner_client, agency):
    carrier = CarrierFactory(legal_name="Granite State Mutual")
    sent(agency, carrier, 6)
    url = reverse("escalation:carrier_figures", kwargs={"carrier_id": carrier.pk})
    html = owner_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Usually answers in 6 business days" in html
    assert "not enough requests yet to show a platform figure" in html
    builder = owner_client.get(reverse("vault:request_create")).content.decode()
    assert reverse("escalation:carrier_figures", kwargs={"carrier_id": 0}) in builder


def test_fragment_for_an_unknown_carrier_is_404(owner_client):
    url = reverse("escalation:carrier_figures", kwargs={"carrier_id": 999999})
    assert owner_client.get(url).status_code == 404


def test_no_carriers_asked_no_figures_and_an_empty_search_is_no_error(owner_client, agency):
    sent(agency, CarrierFactory(), 3)
    assert agency_carrier_figures(agency=agency, carrier_ids=[]) == {}
    assert platform_carrier_figures(carrier_ids=[]) == {}
    response = owner_client.get(reverse("escalation:carrier_list"), {"q": "no such carrier"})
    assert response.status_code == 200
    assert "No carrier matches" in response.content.decode()
