"""pytest plugin for `make mutation` only (loaded through [tool.mutmut] pytest_add_cli_args).

mutmut runs, for each mutant, the tests that reached the mutated function in its first
(statistics) run: for the calendar and the timeline that is every sweep, flow and property
test, 100 tests and a minute of CPU per surviving mutant. Each module is judged here by the
tests written for it instead, fastest and most direct first (mutmut stops at the first
failure): the pure calendar and timeline by their pure tests, the schedule, the notices and
the delivery by their own database tests, the DB property test last. A mutant none of those
reaches keeps mutmut's own selection. The score is then a score of the targeted tests:
stricter, never looser, than one over every test.
"""

from __future__ import annotations

import os
import re

TARGETS: dict[str, tuple[str, ...]] = {
    "tracker.calendar": ("tests/tracker/test_calendar.py",),
    "tracker.timeline": ("tests/tracker/test_timeline.py",),
    "tracker.schedule": (
        "tests/tracker/test_notices.py",
        "tests/tracker/test_services.py",
        "tests/tracker/test_corrections.py",
        "tests/tracker/test_agency_settings.py",
        "tests/helpdesk/test_tracker_hold.py",
        "tests/tracker/test_properties.py",
    ),
    "tracker.notices": (
        "tests/tracker/test_notices.py",
        "tests/tracker/test_delivery_window.py",
        "tests/tracker/test_services.py",
        "tests/tracker/test_emails.py",
    ),
    "outbox.delivery": (
        "tests/outbox/test_delivery.py",
        "tests/outbox/test_claims.py",
        "tests/outbox/test_requeue.py",
        "tests/outbox/test_message.py",
        "tests/outbox/test_windows.py",
        "tests/outbox/test_enqueue.py",
        "tests/tracker/test_delivery_window.py",
    ),
    "outbox.windows": ("tests/outbox/test_windows.py", "tests/tracker/test_delivery_window.py"),
    "claims.importers.fastblocks": (
        "tests/claims/test_fastblocks.py",
        "tests/claims/test_fastrows.py",
        "tests/claims/test_claimindex.py",
    ),
    "claims.importers.columns": ("tests/claims/test_fastblocks.py",),
}
_MUTANT = re.compile(r"^(?P<module>[\w.]+?)\.x[_ǁ]")


def mutant_module(name: str) -> str | None:
    """`tracker.calendar.xǁBusinessCalendarǁ_check__mutmut_3` -> `tracker.calendar`."""
    found = _MUTANT.match(name)
    return found["module"] if found else None


def targeted(items: list, files: tuple[str, ...]) -> list:
    """The items of `files`, in the order of `files` (then collection order)."""
    rank = {path: i for i, path in enumerate(files)}
    kept = [item for item in items if item.nodeid.split("::")[0] in rank]
    return sorted(kept, key=lambda item: rank[item.nodeid.split("::")[0]])


def pytest_collection_modifyitems(config, items) -> None:
    files = TARGETS.get(mutant_module(os.environ.get("MUTANT_UNDER_TEST", "")) or "")
    if not files:
        return  # statistics run, forced-fail check, or a module without targets
    kept = targeted(items, files)
    if not kept:
        return
    chosen = {id(item) for item in kept}
    config.hook.pytest_deselected(items=[item for item in items if id(item) not in chosen])
    items[:] = kept
