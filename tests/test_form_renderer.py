"""config.forms.FormRenderer writes exactly what Django's renderer writes through its
templates: every <input> kind and every error list, byte for byte."""

import datetime as dt
from pathlib import Path

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from config.forms import FormRenderer
from tests.factories import AgencyFactory
from vault.forms import RequestForm

DJANGO = DjangoTemplates()
OURS = FormRenderer()

ATTRS = {
    "class": 'a "quoted" & <odd> class',
    "required": True,
    "disabled": False,
    "data-none": None,
    "data-zero": 0,
    "maxlength": 120,
    "aria-describedby": "id_x_helptext",
}
WIDGETS = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.CheckboxInput,
    forms.ClearableFileInput,
    forms.FileInput,
]
VALUES = [None, "", "O'Brien & Sons <Ltd>", mark_safe("<b>safe</b>"), 0, 12.5, dt.date(2026, 3, 1)]


@pytest.mark.parametrize("widget_class", WIDGETS, ids=lambda w: w.__name__)
@pytest.mark.parametrize("value", VALUES, ids=repr)
@pytest.mark.parametrize("attrs", [{}, ATTRS], ids=["plain", "attrs"])
def test_every_input_is_byte_for_byte_djangos(widget_class, value, attrs):
    widget = widget_class(attrs=attrs)
    expected = widget.render("field", value, renderer=DJANGO)
    assert widget.render("field", value, renderer=OURS) == expected


@pytest.mark.parametrize("errors", [[], ["Enter a date.", "Too <long> & wrong"]])
def test_error_lists_are_djangos(errors):
    plain = forms.utils.ErrorList(errors, renderer=DJANGO, field_id="id_x")
    ours = forms.utils.ErrorList(errors, renderer=OURS, field_id="id_x")
    assert str(ours) == str(plain)
    assert ours.as_ul() == plain.as_ul()
    by_field = {"x": plain} if errors else {}
    ours_by_field = {"x": ours} if errors else {}
    assert str(forms.utils.ErrorDict(ours_by_field, renderer=OURS)) == str(
        forms.utils.ErrorDict(by_field, renderer=DJANGO)
    )


@pytest.mark.django_db
def test_a_real_form_renders_the_same():
    """The request form (every widget kind the request page shows), bound with errors."""
    agency = AgencyFactory()
    data = {"recipient_name": "A & B <Co>", "recipient_email": "nope", "carrier": "nope"}
    ours = RequestForm(data, agency=agency, renderer=OURS)
    plain = RequestForm(data, agency=agency, renderer=DJANGO)
    assert not ours.is_valid() and not plain.is_valid()
    for name in plain.fields:
        assert str(ours[name]) == str(plain[name]), name
        assert str(ours[name].errors) == str(plain[name].errors), name
    assert str(ours.non_field_errors()) == str(plain.non_field_errors())


def test_an_overridden_template_is_used_not_the_short_cut(tmp_path, settings):
    """A project that overrides input.html's entry (text.html here) gets its template."""
    override = tmp_path / "django" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / "text.html").write_text('<input class="custom" name="{{ widget.name }}">')

    class Renderer(FormRenderer):
        @property
        def engine(self):
            return self.backend(
                {
                    "APP_DIRS": True,
                    "DIRS": [tmp_path, Path(forms.__file__).parent / "templates"],
                    "NAME": "djangoforms-test",
                    "OPTIONS": {},
                }
            )

    html = forms.TextInput().render("field", "x", renderer=Renderer())
    assert html == '<input class="custom" name="field">'


def test_djangos_own_templates_take_the_short_cut():
    assert OURS._overridden == frozenset()
