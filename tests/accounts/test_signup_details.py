"""Sign-up asks for the letterhead (optional) and proposes the state's time zone (issue 18)."""

import json

import pytest
from django.core import signing
from django.urls import reverse

from accounts.models import US_STATES, US_TIME_ZONES, Agency
from accounts.signup import SIGNUP_SALT, signup_from_token
from accounts.time_zones import STATE_TIME_ZONES, time_zone_for_state
from tests.accounts.test_views import SIGNUP, finish

pytestmark = pytest.mark.django_db


def test_every_state_proposes_one_of_the_offered_zones():
    offered = {zone for zone, _ in US_TIME_ZONES}
    assert {state for state, _ in US_STATES} == set(STATE_TIME_ZONES)
    assert set(STATE_TIME_ZONES.values()) <= offered


@pytest.mark.parametrize(
    ("state", "zone"),
    [("NY", "America/New_York"), ("TX", "America/Chicago"), ("CO", "America/Denver"),
     ("AZ", "America/Phoenix"), ("CA", "America/Los_Angeles"), ("AK", "America/Anchorage"),
     ("HI", "Pacific/Honolulu"), ("XX", None)],
)  # fmt: skip
def test_time_zone_for_state(state, zone):
    assert time_zone_for_state(state) == zone


def test_the_page_hands_the_mapping_to_its_script_and_asks_for_the_letterhead(client):
    html = client.get(reverse("accounts:signup")).text
    raw = html.split('data-state-zones="', 1)[1].split('"', 1)[0].replace("&quot;", '"')
    assert json.loads(raw)["TX"] == "America/Chicago"
    assert "js/signup.js" in html and "<script>" not in html
    assert 'name="address"' in html and 'name="phone"' in html
    assert '<option value="" selected>The state&#x27;s time zone</option>' in html


def test_left_on_the_states_zone_the_agency_gets_it(client):
    finish(client, {**SIGNUP, "state": "CO", "time_zone": ""})
    assert Agency.objects.get().time_zone == "America/Denver"


def test_a_zone_chosen_by_hand_wins_over_the_state(client):
    finish(client, {**SIGNUP, "state": "CO", "time_zone": "America/Chicago"})
    assert Agency.objects.get().time_zone == "America/Chicago"


def test_the_letterhead_typed_at_sign_up_is_the_agencys(client):
    address = "12 Water St\nMystic, CT 06355"
    finish(client, {**SIGNUP, "address": f"  {address} ", "phone": "860-555-0100"})
    agency = Agency.objects.get()
    assert (agency.address, agency.phone) == (address, "860-555-0100")


def test_the_letterhead_left_empty_stays_empty_for_the_checklist(client):
    finish(client)
    agency = Agency.objects.get()
    assert (agency.address, agency.phone) == ("", "")


def test_a_link_mailed_before_the_letterhead_was_asked_still_works():
    old = {k: SIGNUP[k] for k in ("agency_name", "full_name", "email", "state", "time_zone")}
    details = signup_from_token(signing.dumps(old, salt=SIGNUP_SALT, compress=True))
    assert (details.address, details.phone) == ("", "")


def test_a_bad_zone_is_refused_with_a_message_and_keeps_the_rest(client):
    response = client.post(
        reverse("accounts:signup"), {**SIGNUP, "time_zone": "Mars/Olympus", "phone": "555-1"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text and 'value="555-1"' in response.text
