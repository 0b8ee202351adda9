"""The accessibility audit of the browser tests: axe-core, vendored under tests/e2e/vendor.

`audit(page)` runs axe on the page as it is and returns the violations of the impacts that
fail the build (serious and critical), one readable line each. axe is evaluated through
Playwright (the DevTools protocol), not added as a script tag, so the product's CSP needs
no exception and the app never serves it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
FAILING = ("serious", "critical")
# WCAG 2.1 A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def audit(page) -> list[str]:
    """The page's serious and critical axe violations: "rule (impact): help: targets"."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], preload: false,
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 4).map(n => n.target.join(" ")),
                count: v.nodes.length,
            }));
        }""",
        TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {v['count']} node(s), e.g. "
        + ", ".join(v["targets"])
        for v in violations
        if v["impact"] in FAILING
    ]
