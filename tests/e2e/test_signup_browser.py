"""Sign-up in chromium (issue 18): choosing a state proposes its time zone, a zone chosen
by hand stays, the letterhead fields are there; screenshots at 1366 px and 390 px."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import ARTIFACTS, screenshot
from tests.e2e.seed import PHONE

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_state_proposes_its_time_zone(new_context, browser_log, size, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto("/signup/")
    zone = page.get_by_label("Time zone")
    assert zone.input_value() == ""
    page.get_by_label("State").select_option(label="Texas")
    assert zone.input_value() == "America/Chicago"
    note = page.get_by_text("Time zone set to Central for Texas.")
    assert note.is_visible()
    page.get_by_label("State").select_option(label="Colorado")
    assert zone.input_value() == "America/Denver"
    assert page.get_by_label("Office address").is_visible()
    assert page.get_by_label("Office phone").is_visible()
    screenshot(page, ARTIFACTS / "signup" / f"proposed-{size}.png")

    # A zone chosen by hand is never overwritten by a later state.
    zone.select_option(label="Pacific")
    page.get_by_label("State").select_option(label="New York")
    assert zone.input_value() == "America/Los_Angeles"
    assert not note.is_visible()
    browser_log.assert_clean()


def test_keyboard_reaches_every_field_in_order(new_context):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto("/signup/")
    page.get_by_label("Agency name").focus()
    order = []
    for _ in range(6):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.name"))
    assert order == ["state", "time_zone", "address", "phone", "full_name", "email"]
