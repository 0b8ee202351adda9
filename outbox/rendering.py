"""TEMP outbox stand-in: replaced by the outbox branch at merge."""

from collections.abc import Mapping
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def render_email(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    text = render_to_string(f"emails/{template}.txt", dict(context))
    try:
        html = render_to_string(f"emails/{template}.html", dict(context))
    except TemplateDoesNotExist:
        html = ""
    return text, html
