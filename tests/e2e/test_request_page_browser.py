"""The request page in chromium (issue 18): the next-step card, a typed date never lost
(beforeunload warning, the card's own htmx save), e-mail links landing on the focused field,
and screenshots at 1366 px and 390 px."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import ARTIFACTS, screenshot
from tests.e2e.seed import PHONE, seed_agency, sign_in

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "request-page"
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def seeded(live_stack):
    return seed_agency(live_stack)


def edit(req: dict, query: str = "") -> str:
    return f"/vault/requests/{req['id']}/edit/{query}"


def test_a_typed_date_is_never_lost(new_context, live_stack, browser_log, tmp_path):
    own = seed_agency(live_stack)  # this test changes its request's dates
    page = new_context(viewport=DESKTOP).new_page()
    sign_in(page, own)
    req = own["awaiting"]
    page.goto(edit(req))
    card = page.locator("#next-step")
    assert card.get_by_role("heading", name="Next step").is_visible()
    date = card.get_by_label("Date the 1st request was sent")
    today = _today(page)
    date.fill(today)
    assert card.get_by_text("Not saved yet").is_visible()

    # Upload a document from the same page (its own htmx form): the date stays typed.
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    panel = page.locator(f"#docs-{req['id']}")
    panel.get_by_label("File").set_input_files(str(scan))
    panel.get_by_role("button", name="Upload").click()
    page.locator(f"#docs-{req['id']}").get_by_text("Uploaded signed.pdf").wait_for()
    assert date.input_value() == today

    # Leaving now asks first; staying keeps the date.
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    page.get_by_role("link", name="Vault", exact=True).first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert re.search(rf"/requests/{req['id']}/edit/", page.url)
    assert date.input_value() == today

    # Saving the card stores it (htmx: the card re-renders with the next step), and then
    # leaving asks nothing.
    card.get_by_role("button", name="Save the date").click()
    page.locator("#next-step").get_by_text("Dates saved").wait_for()
    assert page.locator("#next-step").get_by_text("Wait for the carrier").is_visible()
    screenshot(page, SHOTS / "saved-desktop.png")
    page.once("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    page.get_by_role("link", name="Vault", exact=True).first.click()
    page.wait_for_url(re.compile(r"/vault/$"))
    assert dialogs == ["beforeunload"]
    stored = live_stack.shell(
        f"from vault.models import LossRunRequest as R; print('D', R.objects.get(pk={req['id']}).first_request_on)"
    )
    assert f"D {today}" in stored
    browser_log.assert_clean()


def test_a_refused_date_stays_typed_and_still_warns(new_context, seeded, browser_log):
    page = new_context(viewport=DESKTOP).new_page()
    sign_in(page, seeded)
    page.goto(edit(seeded["waiting"]))
    card = page.locator("#next-step")
    card.get_by_text("The other tracking dates").click()
    card.get_by_label("Date the 1st request was sent").fill("1989-01-02")
    card.get_by_role("button", name="Save the date").click()
    page.locator("#next-step").get_by_text("The dates were not saved").wait_for()
    assert page.locator("#id_dates-first_request_on").input_value() == "1989-01-02"
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    page.get_by_role("link", name="Vault", exact=True).first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    browser_log.assert_clean()


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("awaiting", "first_request_on"),
        ("second_due", "second_request_at"),
        ("waiting", "received_on"),
    ],
)
def test_an_email_link_lands_on_the_card_with_its_field_focused(new_context, seeded, key, field):
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, seeded)
    page.goto(edit(seeded[key], f"?focus={field}#next-step"))
    page.wait_for_function("document.activeElement && document.activeElement.id !== ''")
    assert page.evaluate("document.activeElement.id") == f"id_dates-{field}"
    box = page.locator("#next-step").bounding_box()
    assert box["y"] < PHONE["height"]  # the card is on the first screen


@pytest.mark.parametrize("key", ["awaiting", "second_due", "waiting", "received"])
@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screens(new_context, seeded, browser_log, key, size, viewport):
    page = new_context(viewport=viewport).new_page()
    sign_in(page, seeded)
    page.goto(edit(seeded[key]))
    card = page.locator("#next-step")
    assert card.bounding_box()["y"] < viewport["height"] / 2  # first thing on the page
    # Its first button (Save the date; once received, Upload the loss run) on the first screens.
    save_box = card.locator("button:visible").first.bounding_box()
    assert save_box["y"] + save_box["height"] < (viewport["height"] * 1.6)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < (2600 if size == "desktop" else 4000), height
    screenshot(page, SHOTS / f"{key}-{size}.png")
    browser_log.assert_clean()


def _today(page) -> str:
    """Today in the agency's zone as the date input's max says it (the server's clock)."""
    return page.locator("#id_dates-first_request_on").get_attribute("max")


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_typeahead_adds_the_typed_name_from_the_dropdown(
    new_context, seeded, browser_log, size, viewport
):
    page = new_context(viewport=viewport).new_page()
    sign_in(page, seeded)
    page.goto("/vault/requests/new/")
    name = f"Coastal Brew {size} {seeded['awaiting']['id']}"
    box = page.get_by_label("Named insured")
    box.click()
    page.keyboard.type(name)
    add = page.locator("#insured-results .typeahead-add")
    add.wait_for()
    assert add.inner_text() == f"+ Add “{name}” as a new insured"
    assert (
        page.locator("#insured-results").get_by_text(f"No insured matches “{name}”.").is_visible()
    )
    screenshot(page, SHOTS / f"typeahead-no-match-{size}.png")

    # Keyboard only: down to the add choice, Enter: the add form opens with the name typed.
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.className") == "typeahead-add"
    page.keyboard.press("Enter")
    details = page.locator('details[data-inline-for="insured"]')
    assert details.get_attribute("open") is not None
    assert page.locator("#insured-create input[name='ni-legal_name']").input_value() == name
    assert page.locator("#insured-results .typeahead-add").count() == 0  # the list closed
    screenshot(page, SHOTS / f"typeahead-add-open-{size}.png")
    page.locator("#insured-create").get_by_role("button", name="Add this insured").click()

    page.get_by_text(f"Added {name} and chose it for this request.").wait_for()
    assert page.locator("input[type=hidden][name=insured]").input_value()
    assert box.input_value() == name
    assert details.get_attribute("open") is None  # the add form folded away
    assert page.evaluate("document.activeElement.id") == "id_insured_q"
    screenshot(page, SHOTS / f"typeahead-added-{size}.png")
    browser_log.assert_clean()
