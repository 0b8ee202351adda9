"""One date format everywhere (issue 18): "Dec 1, 2026" and "Dec 1, 2026, 3:21 PM"."""

import datetime as dt
import re
from pathlib import Path

from django.template import Context, Template

from config.dates import human_date, human_datetime

ROOT = Path(__file__).resolve().parent.parent
# A `date` filter may use the settings' names, the weekday before the date, a time zone
# name after it, or ISO 8601 ('c') for machine attributes such as <time datetime>.
ALLOWED = {
    "",
    "DATETIME_FORMAT",
    "l",
    "l, M j, Y",
    "l, M j, Y, g:i A",
    "l, M j, Y, g:i A T",
    "M j, Y, g:i A T",
    "D, M j, Y",
    "c",
}
DATE_FILTER = re.compile(r"\|date(?::[\"']([^\"']*)[\"'])?")
HAND_FORMATS = re.compile(r"%m/%d|%d/%m|:%B}|%b %d")


def test_python_and_templates_format_the_same_way():
    day = dt.date(2026, 12, 1)
    moment = dt.datetime(2026, 12, 1, 20, 21, tzinfo=dt.UTC)
    ny = dt.timezone(dt.timedelta(hours=-5))
    assert human_date(day) == "Dec 1, 2026"
    assert human_datetime(moment, ny) == "Dec 1, 2026, 3:21 PM"
    assert human_date(None) == "" and human_datetime(None) == ""
    rendered = Template('{{ d|date }} / {{ t|date:"DATETIME_FORMAT" }} / {{ d }}').render(
        Context({"d": day, "t": moment.astimezone(ny)})
    )
    assert rendered == "Dec 1, 2026 / Dec 1, 2026, 3:21 PM / Dec 1, 2026"


def test_kept_texts_follow_the_clock_the_format_and_the_language(settings):
    """human_* keep each text once made: one instant on two clocks (equal datetimes)
    still reads differently, and a changed format is not served the old text."""
    moment = dt.datetime(2026, 12, 1, 20, 21, tzinfo=dt.UTC)
    ny = dt.timezone(dt.timedelta(hours=-5))
    tokyo = dt.timezone(dt.timedelta(hours=9))
    assert human_datetime(moment, ny) == "Dec 1, 2026, 3:21 PM"
    assert human_datetime(moment, tokyo) == "Dec 2, 2026, 5:21 AM"
    assert human_datetime(moment.astimezone(tokyo), ny) == "Dec 1, 2026, 3:21 PM"
    day = dt.date(2026, 12, 1)
    assert human_date(day) == "Dec 1, 2026"
    settings.FORMAT_MODULE_PATH = None  # Django's own English format: "N j, Y"
    settings.DATE_FORMAT = "N j, Y"  # a format setting's change resets Django's format cache
    assert human_date(day) == "Dec. 1, 2026"


def test_no_template_formats_a_date_by_hand():
    found = []
    for path in (ROOT / "templates").rglob("*"):
        if not path.is_file():
            continue
        for match in DATE_FILTER.finditer(path.read_text()):
            if (match.group(1) or "") not in ALLOWED:
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert found == []


def test_no_python_module_formats_a_date_for_people_by_hand():
    """strftime patterns a person reads (12/01/2026, December 1) stay out of the apps;
    parsing formats (importers, form input) and ISO are not display."""
    parsing = {"vault/bulk/reading.py", "claims/importers/values.py", "vault/forms.py"}
    found = []
    for app in ("accounts", "vault", "tracker", "helpdesk", "claims", "statutes", "esign",
                "dispatch", "inbound", "escalation", "outbox", "config"):  # fmt: skip
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "migrations" in rel or rel in parsing:
                continue
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if HAND_FORMATS.search(line):
                    found.append(f"{rel}:{n}: {line.strip()}")
    assert found == []


def test_the_scan_sees_a_hand_format():
    """Control: the patterns catch what they are for."""
    assert DATE_FILTER.search('{{ x|date:"m/d/Y" }}').group(1) == "m/d/Y"
    assert HAND_FORMATS.search('f"{day:%m/%d/%Y}"')
