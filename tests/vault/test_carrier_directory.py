"""The carrier directory: where a request goes, the agency's own notes and private carriers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import AgencyFactory, CarrierFactory
from vault.carrier_directory import Method, carrier_note_save, carrier_route, carrier_update_private
from vault.models import CarrierAgencyNote

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "method", "summary"),
    [
        ({"loss_run_email": "lr@c.example", "fax": "555"}, Method.EMAIL, "E-mail to lr@c.example"),
        (
            {"loss_run_email": "", "fax": "(555) 010"},
            Method.FAX,
            "Fax only: print and fax to (555) 010",
        ),
        (
            {"loss_run_email": "", "portal_url": "https://p.example"},
            Method.PORTAL,
            "Portal: upload there",
        ),
        (
            {"loss_run_email": "", "mailing_address": "PO Box 1"},
            Method.MAIL,
            "Mail only: print and mail",
        ),
        ({"loss_run_email": ""}, Method.UNKNOWN, "No loss-run contact on file"),
    ],
)
def test_route_prefers_email_then_fax_then_portal_then_mail(agency, fields, method, summary):
    route = carrier_route(agency=agency, carrier=CarrierFactory(**fields))
    assert route.method == method
    assert route.summary.startswith(summary)


def test_agency_override_applies_to_that_agency_only(agency, other_agency):
    carrier = CarrierFactory(loss_run_email="", fax="")
    carrier_note_save(
        agency=agency, carrier=carrier, loss_run_email="ours@c.example", fax="", notes="Call Dana"
    )
    mine = carrier_route(agency=agency, carrier=carrier)
    assert mine.email == "ours@c.example" and mine.overridden and mine.agency_notes == "Call Dana"
    theirs = carrier_route(agency=other_agency, carrier=carrier)
    assert theirs.method == Method.UNKNOWN and not theirs.agency_notes


def test_empty_note_deletes_it_and_another_agencys_private_carrier_is_refused(agency, other_agency):
    carrier = CarrierFactory()
    carrier_note_save(agency=agency, carrier=carrier, loss_run_email="", fax="", notes="x")
    carrier_note_save(agency=agency, carrier=carrier, loss_run_email="", fax="", notes="  ")
    assert not CarrierAgencyNote.objects.exists()
    with pytest.raises(ValidationError):
        carrier_note_save(
            agency=agency,
            carrier=CarrierFactory(agency=other_agency),
            loss_run_email="",
            fax="",
            notes="x",
        )


def test_only_own_private_carriers_are_editable(agency):
    own = CarrierFactory(agency=agency)
    carrier_update_private(
        agency=agency, carrier=own, portal_url="https://portal.example", requirements="FEIN"
    )
    own.refresh_from_db()
    assert own.portal_url == "https://portal.example" and own.requirements == "FEIN"
    with pytest.raises(ValidationError):
        carrier_update_private(agency=agency, carrier=CarrierFactory(), legal_name="Renamed")


def test_carrier_pages_and_builder_route(owner_client, agency, django_assert_num_queries):
    carrier = CarrierFactory(fax="(555) 010-1234", loss_run_email="", requirements="Own form")
    for _ in range(5):
        CarrierFactory()
    CarrierFactory(agency=AgencyFactory(), legal_name="Hidden Private Carrier")
    with django_assert_num_queries(3):  # session, user with its agency, carriers
        page = owner_client.get(reverse("vault:carrier_list"))
    assert "Hidden Private Carrier" not in page.content.decode()
    snippet = owner_client.get(reverse("vault:carrier_route"), {"carrier": carrier.pk})
    assert "Fax only: print and fax to (555) 010-1234" in snippet.content.decode()
    assert "Own form" in snippet.content.decode()
    response = owner_client.post(
        reverse("vault:carrier_detail", kwargs={"carrier_id": carrier.pk}),
        {"form": "note", "loss_run_email": "not an address", "fax": "", "notes": "Kept text"},
    )
    assert response.status_code == 200 and "Kept text" in response.content.decode()
    owner_client.post(
        reverse("vault:carrier_detail", kwargs={"carrier_id": carrier.pk}),
        {"form": "note", "loss_run_email": "desk@c.example", "fax": "", "notes": ""},
    )
    assert CarrierAgencyNote.objects.get(agency=agency).loss_run_email == "desk@c.example"
    edit = owner_client.get(reverse("vault:request_create"), {"carrier": carrier.pk})
    assert "E-mail to desk@c.example" in edit.content.decode()
