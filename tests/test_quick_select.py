"""config.forms.QuickSelect writes the markup Django's Select writes through its templates."""

import pytest
from django import forms
from pytest_django.asserts import assertHTMLEqual

from accounts.models import US_STATES
from config.forms import QuickSelect
from vault.forms import InsuredInlineForm, RequestForm

CHOICES = [("", "—"), *US_STATES, ("x&y", 'Tom <"&"> Jerry')]
GROUPED = [("", "Any"), ("East", [("NY", "New York"), ("NJ", "New Jersey")]), ("TX", "Texas")]


class Both(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    quick = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect)
    plain_required = forms.ChoiceField(choices=GROUPED)
    quick_required = forms.ChoiceField(choices=GROUPED, widget=QuickSelect)


def _same(form: forms.Form, plain: str, quick: str) -> None:
    html = str(form[quick]).replace(f"id_{quick}", "ID").replace(f'"{quick}"', '"NAME"')
    expected = str(form[plain]).replace(f"id_{plain}", "ID").replace(f'"{plain}"', '"NAME"')
    assertHTMLEqual(html, expected)


@pytest.mark.parametrize(
    "data",
    [None, {"plain": "NJ", "quick": "NJ"}, {"plain": "x&y", "quick": "x&y"}, {"plain": "??"}],
)
def test_same_markup_as_django_select(data):
    if data and "quick" not in data:
        data = {**data, "quick": data["plain"]}
    form = Both(data)
    if data:
        form.is_valid()  # errors put aria-invalid on the widget
    _same(form, "plain", "quick")
    _same(form, "plain_required", "quick_required")
    assert "Tom &lt;&quot;&amp;&quot;&gt; Jerry" in str(form["quick"])


def test_the_chosen_value_is_selected():
    html = str(Both({"quick": "NJ"})["quick"])
    assert '<option value="NJ" selected>' in html
    assert html.count(" selected") == 1


@pytest.mark.django_db
def test_request_forms_use_it_for_the_state_lists(agency):
    assert isinstance(RequestForm(agency=agency).fields["governing_state"].widget, QuickSelect)
    assert isinstance(InsuredInlineForm(prefix="ni").fields["state"].widget, QuickSelect)


@pytest.mark.parametrize(
    ("choices", "value"),
    [
        ([(None, "none"), (1, "one"), (2, "two")], 2),  # None is "", numbers match as text
        ([(1, "one"), (2, "two")], "1"),
        ([("a", "first a"), ("a", "second a")], "a"),  # only the first match is selected
        ([("", "—"), ("g", [("1", "x"), ("2", 'y "2"')]), ("3", "z")], "2"),
        ([("x", "x")], None),
    ],
)
def test_same_markup_as_django_select_for_odd_choices(choices, value):
    expected = forms.Select(choices=choices).render("f", value, {"id": "id_f"})
    assertHTMLEqual(QuickSelect(choices=choices).render("f", value, {"id": "id_f"}), expected)
