"""Every page an agent reaches by following links, in chromium: the Content-Security-Policy
holds (no inline script or style is refused), no JavaScript error, no server error, at
phone width (390 x 844) no page scrolls sideways, and at desktop and phone width the
accessibility audit (axe-core, tests/e2e/accessibility.py) finds no serious or critical
violation.

The pages are found by crawling from Today (links inside the site, three clicks deep, two
pages of each kind), so a page added later is checked without editing this file. Downloads (PDF, CSV) and sign-out
are not followed.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.e2e.accessibility import audit
from tests.e2e.helpers import ARTIFACTS, BrowserLog, screenshot
from tests.e2e.seed import PHONE, seed_agency, sign_in

pytestmark = pytest.mark.browser

SKIP = re.compile(r"(\.pdf|\.csv|/download/|/logout/|/export|/admin/|/dev/)")
MAX_PAGES = 60


def shape(target: str) -> str:
    """/vault/requests/12/edit/?next=x -> /vault/requests/N/edit/?next: pages alike."""
    parts = urlsplit(target)
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k)
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def crawl(page, base_url: str, start: str, depth: int = 3, per_shape: int = 2) -> list[str]:
    """Same-site pages reachable from `start` within `depth` clicks, in the order found.

    At most `per_shape` pages of one shape (the same view with other ids or filter values).
    """
    seen: list[str] = [start]
    shapes: dict[str, int] = {}
    frontier = [start]
    for _ in range(depth):
        found = []
        for path in frontier:
            page.goto(path)
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            for href in hrefs:
                url = urldefrag(href)[0]
                if not url.startswith(base_url + "/"):
                    continue
                parts = urlsplit(url)
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if SKIP.search(parts.path) or target in seen or len(seen) >= MAX_PAGES:
                    continue
                if shapes.get(shape(target), 0) >= per_shape:
                    continue
                shapes[shape(target)] = shapes.get(shape(target), 0) + 1
                seen.append(target)
                found.append(target)
        frontier = found
    return seen


def overflow(page) -> dict | None:
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    return widths if widths["scroll"] > widths["inner"] + 1 else None


def test_every_linked_page_keeps_the_csp_and_fits_a_phone(new_context, live_stack):
    agency = seed_agency(live_stack)
    context = new_context()
    page = context.new_page()
    sign_in(page, agency)
    paths = crawl(page, live_stack.base_url, "/")
    # Pages no link leads to from an agency without tickets: the bulk create (linked from
    # nowhere at the time of writing) and a hand-over form (linked once a request is due).
    paths += ["/vault/bulk/", f"/helpdesk/submit/{agency['second_due']['id']}/"]
    assert len(paths) >= 10, paths  # the crawl did find the product's pages
    for expected in ("/vault/", "/vault/requests/new/", "/helpdesk/", "/claims/"):
        assert expected in paths, (expected, paths)

    problems: dict[str, list[str]] = {}
    inaccessible: dict[str, list[str]] = {}
    for path in paths:
        log = BrowserLog()
        fresh = context.new_page()
        log.attach(fresh)
        response = fresh.goto(path)
        fresh.wait_for_load_state("load")
        if response is None or response.status >= 400:
            log.problems.append(f"HTTP {response.status if response else '?'}")
        if log.problems:
            problems[path] = log.problems
        if found := audit(fresh):
            inaccessible[f"{path} (desktop)"] = found
        fresh.close()

    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, agency)
    too_wide: dict[str, dict] = {}
    for path in paths:
        phone.goto(path)
        if found := audit(phone):
            inaccessible[f"{path} (phone)"] = found
        widths = overflow(phone)
        if widths:
            too_wide[path] = widths
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "today"
            screenshot(phone, ARTIFACTS / "phone-overflow" / f"{name}.png")

    report = [f"{p}: {'; '.join(v)}" for p, v in problems.items()]
    report += [f"{p}: scrolls sideways at phone width {w}" for p, w in too_wide.items()]
    report += [f"{p}: {v}" for p, found in inaccessible.items() for v in found]
    assert not report, f"{len(report)} problems on {len(paths)} pages:\n" + "\n".join(report)


def test_signed_out_pages_keep_the_csp_and_fit_a_phone(new_context):
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    report = []
    for path in ("/accounts/login/", "/signup/", "/accounts/password_reset/"):
        page = context.new_page()
        log = BrowserLog()
        log.attach(page)
        response = page.goto(path)
        if response.status != 200:
            report.append(f"{path}: HTTP {response.status}")
        report += [f"{path}: {p}" for p in log.problems]
        if widths := overflow(page):
            report.append(f"{path}: scrolls sideways at phone width {widths}")
        report += [f"{path} (phone): {v}" for v in audit(page)]
        page.close()
    desktop = new_context().new_page()
    for path in ("/accounts/login/", "/signup/", "/accounts/password_reset/"):
        desktop.goto(path)
        report += [f"{path} (desktop): {v}" for v in audit(desktop)]
    assert not report, "\n".join(report)


def test_the_audit_fails_on_a_missing_label_and_low_contrast(browser):
    """The audit can fail: a field without a label and grey-on-white text are reported."""
    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="en"><head><title>t</title></head><body><main><h1>Form</h1>'
            '<input type="text" name="q"><p style="color:#bbb">faint text</p></main></body></html>'
        )
        found = " ".join(audit(page))
        page.set_content(
            '<html lang="en"><head><title>t</title></head><body><main><h1>Form</h1>'
            '<label for="q">Search</label><input id="q" type="text" name="q"></main></body></html>'
        )
        assert audit(page) == []
    finally:
        page.close()
    assert "label (critical)" in found and "color-contrast (serious)" in found
