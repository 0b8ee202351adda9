"""Form helpers shared by every app's views."""

import functools
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form
    has that field, else as a form-wide error."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _attrs_html(attrs: dict[str, Any]) -> str:
    """Django's attrs.html: ` name="value"` each, a bare ` name` for True, none for False."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False:
            parts.append(format_html(' {}="{}"', name, stringformat(value, "s")))
    return "".join(parts)


class QuickSelect(forms.Select):
    """Django's <select>, the same markup, written in Python instead of one template render
    and one option dict per option: a list of the 50 states cost about 6 ms a form through
    the option templates and still 1.7 ms through Django's option dicts, 0.2 ms here. Single
    choice only (Django's rules: the first option whose value matches is selected); the
    attributes (aria-invalid, aria-describedby...) come from the bound field as usual."""

    allow_multiple_selected = False

    def render(self, name, value, attrs=None, renderer=None):
        # forms.Widget's context: the <select>'s own attributes, without Django's option dicts
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = self.format_value(value)
        parts = [
            format_html('<select name="{}"', widget["name"]) + _attrs_html(widget["attrs"]) + ">"
        ]
        has_selected = False

        def option(option_value: Any, label: Any) -> str:
            nonlocal has_selected
            selected = not has_selected and str(option_value) in chosen
            has_selected |= selected
            return (
                f'<option value="{conditional_escape(stringformat(option_value, "s"))}"'
                f"{' selected' if selected else ''}>{conditional_escape(label)}</option>"
            )

        for option_value, label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(option(v, sub) for v, sub in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped


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
    """Django's input.html, byte for byte (tests compare the two)."""
    value = widget["value"]
    shown = "" if value is None else format_html(' value="{}"', stringformat(value, "s"))
    return (
        format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        + shown
        + _attrs_html(widget["attrs"])
        + ">"
    )


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
