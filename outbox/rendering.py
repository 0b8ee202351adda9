"""The one renderer: a template name becomes a plain-text body and an HTML alternative."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def header_clean(value: str) -> str:
    """One line: CR/LF (and the blanks around them) become one space.

    Subjects and headers are built from text agencies type (an insured's name); a newline
    there would otherwise make Django refuse the whole message (BadHeaderError).
    """
    return _LINE_BREAKS.sub(" ", str(value)).strip()


def _context(context: Mapping[str, Any]) -> dict[str, Any]:
    return {"site_url": settings.SITE_URL, **context}


def render_email(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """Render emails/<template>.txt and, when it exists, emails/<template>.html.

    Returns (text, html); html is "" for a plain-text-only message.
    """
    ctx = _context(context)
    text = render_to_string(f"emails/{template}.txt", ctx)
    try:
        html_template = get_template(f"emails/{template}.html")
    except TemplateDoesNotExist:
        return text, ""
    return text, html_template.render(ctx)


def render_subject(template: str, context: Mapping[str, Any]) -> str:
    """Render emails/<template>_subject.txt into one line."""
    return " ".join(render_to_string(f"emails/{template}_subject.txt", _context(context)).split())
