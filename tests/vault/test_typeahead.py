"""The Request Builder's type-ahead (issue 18): "+ Add “name”" inside the dropdown, named
as the add form is, and the add answer that makes the page choose the new row."""

import json

import pytest
from django.urls import reverse

from tests.factories import InsuredFactory

pytestmark = pytest.mark.django_db


def search(client, name, q):
    return client.get(reverse(f"vault:{name}_search"), {"q": q}).content.decode()


def test_no_match_offers_to_add_the_typed_name_inside_the_list(owner_client):
    html = search(owner_client, "insured", "Coastal Brew")
    assert 'role="listbox"' in html and "No insured matches “Coastal Brew”." in html
    assert 'class="typeahead-add" data-add-field="insured" data-add-name="Coastal Brew"' in html
    assert "+ Add “Coastal Brew” as a new insured" in html
    # The hint no longer points at a link the dropdown covers.
    assert "below" not in html


def test_matches_still_offer_the_add_after_them(owner_client, agency):
    InsuredFactory(agency=agency, legal_name="Coastal Brewing Co")
    html = search(owner_client, "insured", "Coastal")
    assert html.index("Coastal Brewing Co") < html.index("+ Add “Coastal” as a new insured")


def test_the_carrier_add_names_a_private_carrier_as_its_form_does(owner_client):
    html = search(owner_client, "carrier", "Zenith Local")
    assert "+ Add “Zenith Local” as a private carrier" in html
    page = owner_client.get(reverse("vault:request_create")).content.decode()
    assert "Add a private carrier" in page and "Add a new insured" in page


def test_nothing_typed_offers_no_add(owner_client):
    html = search(owner_client, "insured", "  ")
    assert "typeahead-add" not in html


def test_the_typed_name_is_escaped(owner_client):
    html = search(owner_client, "insured", '<b>"x"</b>')
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_adding_tells_the_page_what_to_choose_and_says_so(owner_client, agency):
    response = owner_client.post(
        reverse("vault:insured_create_inline"), {"ni-legal_name": "Coastal Brew"}
    )
    picked = json.loads(response["HX-Trigger"])["vault:picked"]
    assert picked["field"] == "insured" and picked["label"] == "Coastal Brew"
    assert picked["note"] == "Added Coastal Brew and chose it for this request."
    assert 'value="Coastal Brew"' not in response.content.decode()  # the form comes back empty
