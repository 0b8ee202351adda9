"""The Jinja2 environment of the few hot row partials (templates/jinja2/).

Pages are Django templates. The rows a list page repeats 50 times (the vault list, Today)
cost 11.7 ms a page through Django's template language, a third of the vault page's CPU;
the same markup compiled by Jinja2 costs 3.6 ms (50 rows, bench/load.py's data). A page includes such
a partial with `{% rows "vault/_list_rows.html" rows=page.rows %}` (vault.templatetags.rows).
Undefined names raise (StrictUndefined): a typo fails the tests instead of printing nothing.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from jinja2 import Environment, StrictUndefined

from config.dates import human_date, human_datetime


def url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    options["undefined"] = StrictUndefined
    env = Environment(**options)  # noqa: S701 - autoescape is on: Django's backend sets it
    env.globals.update(url=url)
    env.filters.update(date=human_date, datetime=human_datetime)
    return env
