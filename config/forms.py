"""Form helpers shared by every app's views."""

import functools
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.template.defaultfilters import stringformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form
    has that field, else as a form-wide error."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class QuickSelect(forms.Select):
    """Django's <select>, the same markup, written in Python instead of one template render
    per option: a list of the 50 states cost about 6 ms a form through the option templates
    (a third of the request page's CPU), well under 0.1 ms here. Single choice only; the
    attributes (aria-invalid, aria-describedby...) come from the bound field as usual."""

    allow_multiple_selected = False

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        option["value"],
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is format_html-escaped


_WIDGETS = "django/forms/widgets/"
_INPUTS = frozenset(
    f"{_WIDGETS}{kind}.html"
    for kind in [
        "text",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "time",
        "url",
    ]
)
_ERROR_LISTS = frozenset(
    f"django/forms/errors/{kind}/{name}.html"
    for kind in ("list", "dict")
    for name in ("default", "ul")
)
_DJANGO_FORM_TEMPLATES = str(Path(forms.__file__).resolve().parent / "templates")


def _input_html(widget: dict[str, Any]) -> str:
    """Django's input.html + attrs.html, byte for byte (tests compare the two)."""
    parts = [
        format_html('<input type="{}" name="{}"', widget["type"], widget["name"]),
    ]
    if widget["value"] is not None:
        parts.append(format_html(' value="{}"', stringformat(widget["value"], "s")))
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, stringformat(value, "s")))
    parts.append(">")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's form renderer, with its two most frequent renders done in Python.

    An `<input>` went through three templates (text.html, input.html, attrs.html) and every
    field's empty error list through two: on the request page that was 37 empty error lists
    and 36 inputs, about a third of the page's CPU. Only Django's own templates take the
    short cut: a project or app that overrides one of them gets its template, as before.
    """

    @functools.cached_property
    def _overridden(self) -> frozenset[str]:
        return frozenset(
            name
            for name in _INPUTS | _ERROR_LISTS
            if not str(self.get_template(name).origin.name).startswith(_DJANGO_FORM_TEMPLATES)
        )

    def render(self, template_name, context, request=None):
        if template_name not in self._overridden:
            if template_name in _INPUTS:
                return mark_safe(_input_html(context["widget"]))  # noqa: S308 - format_html parts
            if template_name in _ERROR_LISTS and not context.get("errors"):
                return ""
        return super().render(template_name, context, request)
