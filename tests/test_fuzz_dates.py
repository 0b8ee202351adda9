"""Dates far outside the calendar on every date field of every fuzzed form: never a 500.

The hypothesis fuzzing (tests/test_fuzz_forms.py) draws dates at random and missed a 500 on
a first-request date before 1990; this walks every date and datetime field of every form on
its pages with years 1, 1899 and 9999, in both formats a person might type.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve

from tests.test_fuzz_forms import PAGES, page_forms, world  # noqa: F401, F811 - a fixture

pytestmark = pytest.mark.django_db

FAR_DATES = {
    "date": ["0001-01-01", "1899-12-31", "9999-12-31", "01/01/0001", "12/31/1899", "12/31/9999"],
    "datetime-local": ["0001-01-01T00:00", "1899-12-31T12:00", "9999-12-31T23:59"],
}


PLAUSIBLE = {"email": "far@dates.test", "number": "1", "time": "08:00", "tel": "555-0100"}


def _base_data(form) -> dict:
    data = {}
    for f in form.fields:
        if f.kind == "select":
            data[f.name] = next((o for o in f.options if o), "")
        elif f.kind in ("checkbox", "radio"):
            if f.checked:
                data[f.name] = f.value or "on"
        elif f.kind == "file":
            data[f.name] = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n%far dates\n")
        elif f.value or f.kind in ("hidden", "date", "datetime-local", "textarea"):
            data[f.name] = f.value
        else:  # a blank required field must not hide the date's own error
            data[f.name] = PLAUSIBLE.get(f.kind, "Far dates test")
    return data


def far_date_cases(world):  # noqa: F811
    for name, kwargs, signed_in in PAGES:
        client, _url, forms = page_forms(world, name, kwargs, signed_in)
        for form in forms:
            if form.method != "post":
                continue
            for target in form.fields:
                for value in FAR_DATES.get(target.kind, []):
                    yield client, form, target.name, value


# The request's edit page once gave a 500 for a 1st-request date before the calendar's first
# year (1990); the tracking-date rules now refuse such a date with a field error (issue 11).
# The dates are saved by the page's next-step card since issue 18.
PRE_CALENDAR = {("vault:request_dates", "first_request_on")}


def _pre_calendar(form, field_name: str, value: str) -> bool:
    route = resolve(urlsplit(form.action).path).view_name
    return (route, field_name) in PRE_CALENDAR and int(re.findall(r"\d{4}", value)[0]) < 1990


def test_far_dates_on_every_date_field_are_never_a_500(world):  # noqa: F811
    checked = 0
    for client, form, field_name, value in far_date_cases(world):
        data = {**_base_data(form), field_name: value}
        response = client.post(form.action, data)
        assert response.status_code < 500, (form.action, field_name, value)
        checked += 1
    assert checked > 30  # every date field of the request, claims, closed-day, ... forms


@pytest.mark.parametrize("value", ["1899-12-31", "0001-01-01"])
def test_first_request_date_before_the_calendar_is_not_a_500(world, value):  # noqa: F811
    cases = [
        (client, form, name)
        for client, form, name, v in far_date_cases(world)
        if v == value and _pre_calendar(form, name, value)
    ]
    assert cases
    for client, form, name in cases:
        response = client.post(form.action, {**_base_data(form), name: value})
        assert response.status_code < 500
