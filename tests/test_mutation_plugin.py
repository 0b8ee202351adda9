"""The `make mutation` plugin judges each mutated module by its own tests (tests/mutation.py)."""

from types import SimpleNamespace

from tests.mutation import TARGETS, mutant_module, targeted


def test_the_module_of_a_mutant_is_read_from_its_name():
    assert mutant_module("tracker.timeline.x_notice_moment__mutmut_12") == "tracker.timeline"
    assert mutant_module("tracker.calendar.xǁBusinessCalendarǁ_check__mutmut_3") == (
        "tracker.calendar"
    )
    assert mutant_module("stats") is None and mutant_module("") is None


def test_targeted_keeps_the_modules_tests_in_the_order_of_its_files():
    items = [
        SimpleNamespace(nodeid=node)
        for node in (
            "tests/tracker/test_flow.py::test_a",
            "tests/tracker/test_services.py::test_b",
            "tests/tracker/test_notices.py::test_c",
            "tests/tracker/test_notices.py::test_d",
        )
    ]
    kept = targeted(items, TARGETS["tracker.notices"])
    assert [i.nodeid.split("::")[1] for i in kept] == ["test_c", "test_d", "test_b"]


def test_every_targeted_file_exists():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    missing = [f for files in TARGETS.values() for f in files if not (root / f).exists()]
    assert missing == []
