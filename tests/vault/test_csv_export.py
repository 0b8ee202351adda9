"""CSV export opened where `;` (or `,` or tab) separates list items: no part runs as a formula."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import LossRunRequestFactory
from vault.csv_export import neutralise
from vault.models import Carrier, Insured

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

pytestmark = pytest.mark.django_db


def _cells_as_a_spreadsheet_splits_them(body: str, delimiter: str) -> list[str]:
    """Every cell a spreadsheet whose list separator is `delimiter` would make of the file."""
    cells = []
    for row in csv.reader(io.StringIO(body)):
        for cell in row:
            cells.extend(cell.split(delimiter))
    return cells


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_export_has_no_formula_in_any_part(owner_client, agency, delimiter):
    req = LossRunRequestFactory(agency=agency, policies=["GL-1", '=HYPERLINK("x")'])
    Insured.objects.filter(pk=req.insured_id).update(
        legal_name=f"Acme{delimiter}=1+1{delimiter}x", dba=f"Shop{delimiter} @SUM(A1)"
    )
    Carrier.objects.filter(pk=req.carrier_id).update(legal_name=f"Mutual{delimiter}+1")
    response = owner_client.get(reverse("vault:export_csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = _cells_as_a_spreadsheet_splits_them(body, delimiter)
    assert "'=1+1" in cells
    assert [c for c in cells if c.lstrip(" ").startswith(FORMULA_START)] == []


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("Acme;=1+1;x", "Acme;'=1+1;x"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("GL-1; =HYPERLINK(1)", "GL-1; '=HYPERLINK(1)"),
        ("a,-2\t@x", "a,'-2\t'@x"),
        ("Acme, Inc.; GL-100", "Acme, Inc.; GL-100"),
        ("", ""),
    ],
)
def test_neutralise(text, safe):
    assert neutralise(text) == safe
