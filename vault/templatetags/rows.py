"""`{% rows "vault/_list_rows.html" rows=page.rows %}`: a row partial rendered by Jinja2
(config/jinja.py says why), inside a Django template page."""

from typing import Any

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def rows(template_name: str, **context: Any) -> SafeString:
    html = engines["jinja2"].get_template(template_name).render(context)
    return mark_safe(html)  # noqa: S308 - Jinja2 autoescapes every value (config/jinja.py)
