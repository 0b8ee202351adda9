"""The vault in a real browser: the "+" expansion (mouse and keyboard), filters and search,
and Today, the vault and the Request Builder at phone width (390 x 844).

The agency and its requests are set up through the product's own services in
`manage.py shell` (the UI path is the journey's job); everything checked here is seen
through chromium.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import ARTIFACTS, screenshot, wait_until
from tests.e2e.seed import PHONE, seed_agency, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def vault_agency(live_stack):
    return seed_agency(live_stack)


def vault_rows(page) -> list[str]:
    """The insured names of the vault rows shown."""
    return page.locator("tr.vault-row td[data-label=Insured] a").all_inner_texts()


def test_plus_expansion_with_mouse_and_keyboard(page, vault_agency, browser_log):
    sign_in(page, vault_agency)
    page.goto("/vault/")
    seeded = vault_agency["second_due"]
    row = page.locator(f"#req-{seeded['id']}")
    toggle = row.locator(".expand-toggle")
    detail = page.locator(f"#detail-{seeded['id']}")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == f"detail-{seeded['id']}"
    assert detail.count() == 0

    toggle.click()
    detail.wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert detail.get_by_text(seeded["policy"]).is_visible()
    assert detail.get_by_role("heading", name="Notification history").is_visible()
    assert detail.get_by_role("link", name="Edit").is_visible()
    screenshot(page, ARTIFACTS / "vault" / "expanded.png")

    toggle.click()
    detail.wait_for(state="hidden")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()  # opened again: the loaded detail is shown, not fetched twice
    detail.wait_for(state="visible")
    assert page.locator(f"#detail-{seeded['id']}").count() == 1

    # Keyboard only: focus the "+" of another row and press Enter (then Enter again).
    other = vault_agency["awaiting"]
    other_toggle = page.locator(f"#req-{other['id']} .expand-toggle")
    other_detail = page.locator(f"#detail-{other['id']}")
    other_toggle.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == (
        f"detail-{other['id']}"
    )
    page.keyboard.press("Enter")
    other_detail.wait_for(state="visible")
    assert other_toggle.get_attribute("aria-expanded") == "true"
    assert other_detail.get_by_text(other["policy"]).is_visible()
    page.keyboard.press("Enter")
    other_detail.wait_for(state="hidden")
    assert other_toggle.get_attribute("aria-expanded") == "false"
    # The toggle is reachable with Tab from the search form (no mouse at all).
    page.get_by_role("button", name="Apply").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('expand-toggle')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('expand-toggle')")

    browser_log.assert_clean()


def test_status_filter_and_search(page, vault_agency, browser_log):
    sign_in(page, vault_agency)
    page.goto("/vault/")
    everyone = {
        vault_agency[k]["insured"] for k in ("awaiting", "received", "second_due", "waiting")
    }
    assert set(vault_rows(page)) == everyone

    for key, label in [
        ("received", "Received"),
        ("second_due", "2nd request due"),
        ("awaiting", "Draft"),
        ("waiting", "Sent to carrier"),
    ]:
        page.get_by_label("Status").select_option(label=label)
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url(re.compile(r"status="))
        assert vault_rows(page) == [vault_agency[key]["insured"]], label
        badge = page.locator(f"#req-{vault_agency[key]['id']} .badge")
        assert badge.inner_text() == label
        assert page.get_by_label("Status").input_value() != ""  # the choice stays shown

    page.get_by_role("link", name="Clear").click()
    page.wait_for_url(re.compile(r"/vault/$"))
    assert set(vault_rows(page)) == everyone

    search = page.get_by_label("Search")
    search.fill("Cedar Roofing")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"q=Cedar"))
    assert vault_rows(page) == [vault_agency["second_due"]["insured"]]
    assert page.get_by_label("Search").input_value() == "Cedar Roofing"
    assert "matching “Cedar Roofing”" in page.locator(".vault-count").inner_text()

    page.get_by_label("Search").fill(vault_agency["waiting"]["policy"])
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"q="))
    assert vault_rows(page) == [vault_agency["waiting"]["insured"]]

    # Search and status together, then a search nothing matches.
    page.get_by_label("Search").fill("Dental")
    page.get_by_label("Status").select_option(label="Received")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"status=received"))
    assert vault_rows(page) == [vault_agency["received"]["insured"]]
    page.get_by_label("Search").fill("no such insured anywhere")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("No request matches.").wait_for()
    assert vault_rows(page) == []
    screenshot(page, ARTIFACTS / "vault" / "no-match.png")

    browser_log.assert_clean()


def assert_fits_phone(page, controls, name: str) -> None:
    """No horizontal scrolling of the page; every main control visible inside the width."""
    screenshot(page, ARTIFACTS / "phone" / f"{name}.png")
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"] + 1, f"{name} overflows: {widths}"
    for label, locator in controls:
        locator.scroll_into_view_if_needed()
        assert locator.is_visible(), f"{name}: {label} is not visible"
        box = locator.bounding_box()
        assert box is not None, f"{name}: {label} has no box"
        assert box["x"] >= -1 and box["x"] + box["width"] <= widths["inner"] + 1, (
            f"{name}: {label} sticks out of the screen: {box}"
        )


def test_phone_width(new_context, vault_agency, browser_log):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, vault_agency)
    main = page.locator("main")

    page.goto("/")
    assert_fits_phone(
        page,
        [
            ("the heading", main.get_by_role("heading", name=re.compile("^Today"))),
            ("New request", main.get_by_role("link", name="New request")),
            ("the status counts", page.get_by_role("navigation", name="Requests by status")),
        ],
        "today",
    )

    page.goto("/vault/")
    seeded = vault_agency["second_due"]
    row = page.locator(f"#req-{seeded['id']}")
    assert_fits_phone(
        page,
        [
            ("Search", page.get_by_label("Search")),
            ("Status", page.get_by_label("Status")),
            ("Apply", page.get_by_role("button", name="Apply")),
            ("New request", main.get_by_role("link", name="New request")),
            ("the row's +", row.locator(".expand-toggle")),
            ("the row's insured", row.get_by_role("link", name=seeded["insured"])),
            ("the row's status", row.locator(".badge")),
        ],
        "vault",
    )
    row.locator(".expand-toggle").click()
    detail = page.locator(f"#detail-{seeded['id']}")
    detail.wait_for(state="visible")
    assert_fits_phone(
        page,
        [
            ("the policy", detail.get_by_text(seeded["policy"])),
            ("Edit", detail.get_by_role("link", name="Edit")),
        ],
        "vault-expanded",
    )

    page.goto("/vault/requests/new/")
    assert_fits_phone(
        page,
        [
            ("Named insured", page.get_by_label("Named insured")),
            ("Carrier", page.get_by_label("Carrier", exact=True)),
            ("Policy number", page.locator("#id_policies-0-policy_number")),
            ("Term start", page.locator("#id_policies-0-term_start")),
            ("+ Add another policy", page.get_by_role("button", name="+ Add another policy")),
            ("1st Request", page.get_by_label("1st Request")),
            ("Create request", page.get_by_role("button", name="Create request")),
        ],
        "request-builder",
    )
    page.get_by_text("Not in the list? Add a new insured").click()
    assert_fits_phone(
        page,
        [
            ("Legal name", page.get_by_label("Legal name", exact=True)),
            ("Add this insured", page.get_by_role("button", name="Add this insured")),
        ],
        "request-builder-new-insured",
    )

    # The pages an e-mail link opens on a phone: the edit form and the help-desk hand-over.
    page.goto(f"/vault/requests/{seeded['id']}/edit/")
    assert_fits_phone(
        page,
        [
            ("2nd request", page.get_by_label("When the 2nd request was sent")),
            ("Save the date", page.get_by_role("button", name="Save the date")),
            ("Upload", page.get_by_role("button", name="Upload")),
            ("Request details", page.get_by_text("Request details")),
        ],
        "request-edit",
    )
    page.goto(f"/helpdesk/submit/{seeded['id']}/")
    assert_fits_phone(
        page,
        [
            ("the policy table", page.get_by_text(seeded["policy"]).first),
            ("Message", page.get_by_label("Message to the help desk")),
            ("Submit", page.get_by_role("button", name="Submit to the Help Desk")),
        ],
        "helpdesk-submit",
    )

    browser_log.assert_clean()


def test_request_builder_typeahead_and_errors_keep_input(page, live_stack, browser_log):
    """Pick parties by typeahead (keyboard), fail once, lose nothing, then save."""
    agency = seed_agency(live_stack)  # its own agency: the request made here stays apart
    insured = agency["awaiting"]["insured"]
    carrier_name = "Granite Casualty " + insured.rsplit(" ", 1)[1]
    sign_in(page, agency)
    page.goto("/vault/requests/new/")

    # The insured by keyboard: type, ArrowDown to the first match, Enter.
    box = page.get_by_label("Named insured")
    box.press_sequentially("Aster", delay=20)
    page.locator("#insured-results .typeahead-option", has_text=insured).wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    page.keyboard.press("Enter")
    assert box.input_value() == insured
    insured_id = str(agency["awaiting"]["insured_id"])
    assert page.locator("input[type=hidden][name=insured]").input_value() == insured_id
    assert box.get_attribute("aria-expanded") == "false"

    # Two policies, the second with a term that ends before it starts; no carrier.
    page.locator("#id_policies-0-policy_number").fill("TY-1")
    page.locator("#id_policies-0-term_start").fill("2024-01-01")
    page.locator("#id_policies-0-term_end").fill("2025-01-01")
    page.get_by_role("button", name="+ Add another policy").click()
    page.locator("#id_policies-1-policy_number").fill("TY-2")
    page.locator("#id_policies-1-term_start").fill("2025-01-01")
    page.locator("#id_policies-1-term_end").fill("2024-06-01")
    page.get_by_label("Notes").fill("Broker asked for 5 years; keep this note.")
    page.get_by_role("button", name="Create request").click()

    summary = page.locator("#form-errors")
    summary.wait_for()
    assert "Nothing you typed was lost" in summary.inner_text()
    # The error summary takes the focus once the page's script has run (screen readers).
    wait_until(
        lambda: (
            page.evaluate("document.activeElement && document.activeElement.id") == "form-errors"
        ),
        timeout=5,
        what="the error summary to take the focus",
    )
    assert page.get_by_text("Choose a carrier from the list, or add a new one.").is_visible()
    assert page.get_by_text("The term must end after it starts.").is_visible()
    screenshot(page, ARTIFACTS / "vault" / "builder-errors.png")
    assert page.get_by_label("Named insured").input_value() == insured
    assert page.locator("input[type=hidden][name=insured]").input_value() == insured_id
    assert page.locator("[data-policy-row]").count() == 2
    assert page.locator("#id_policies-1-policy_number").input_value() == "TY-2"
    assert page.locator("#id_policies-1-term_end").input_value() == "2024-06-01"
    assert page.get_by_label("Notes").input_value() == "Broker asked for 5 years; keep this note."

    # Fix both: the carrier by typeahead with the mouse, the term's end.
    carrier_box = page.get_by_label("Carrier", exact=True)
    carrier_box.press_sequentially("Granite", delay=20)
    page.locator("#carrier-results .typeahead-option", has_text=carrier_name).click()
    assert carrier_box.input_value() == carrier_name
    page.locator("#id_policies-1-term_end").fill("2026-01-01")
    page.get_by_role("button", name="Create request").click()
    # The seed already holds an open request for this insured and carrier: the builder asks
    # before a second one, keeping everything typed.
    page.get_by_text("already has an open request to").wait_for()
    assert page.locator("#id_policies-1-policy_number").input_value() == "TY-2"
    page.get_by_label("Yes, create another open request", exact=False).check()
    page.get_by_role("button", name="Create request").click()
    page.wait_for_url(re.compile(r"/vault/requests/\d+/edit/$"))
    page.get_by_text(f"Request saved for {insured}.").wait_for()
    assert page.locator("#id_policies-1-policy_number").input_value() == "TY-2"

    browser_log.assert_clean()
