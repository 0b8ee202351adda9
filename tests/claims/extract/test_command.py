"""extract_loss_run prints the engine's result; --json has exactly the issue's shape."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.extract import CLAIM_KEYS
from tests.claims.pdfcorpus import sample


@pytest.fixture
def ledger_file(tmp_path):
    truth, pdf = sample("ledger")
    path = tmp_path / "ledger.pdf"
    path.write_bytes(pdf)
    return truth, path


def test_json_has_the_exact_claim_keys_iso_dates_and_decimal_strings(ledger_file):
    truth, path = ledger_file
    out = io.StringIO()
    call_command("extract_loss_run", str(path), "--json", stdout=out)
    data = json.loads(out.getvalue())

    assert set(data) == {"claims", "terms", "warnings"}
    assert all(list(claim) == list(CLAIM_KEYS) for claim in data["claims"])
    first = data["claims"][0]
    assert first == truth.claims[0]
    assert isinstance(first["paid_total"], str) and first["description"] == ""
    assert [t["claim_count"] for t in data["terms"]] == [t["claim_count"] for t in truth.terms]
    assert data["terms"][0]["valuation_date"] == "2026-10-30"


def test_table_output_names_terms_and_reconciliation(ledger_file):
    _, path = ledger_file
    out = io.StringIO()
    call_command("extract_loss_run", str(path), stdout=out)
    text = out.getvalue()
    assert "Cobalt Workers Compensation Fund" in text
    assert "no claims" in text
    assert "printed totals match the claims" in text


def test_a_bad_file_is_a_command_error(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_bytes(b"not a pdf at all")
    with pytest.raises(CommandError, match="not a PDF"):
        call_command("extract_loss_run", str(path))


def test_json_of_a_held_out_layout_keeps_the_contract(tmp_path):
    # Dashes for zero, trailing-minus credits, ISO dates, a subtotal per policy, a term
    # printed with no losses: the same contract, every claim equal to the truth.
    truth, pdf = sample("reordered_columns")
    path = tmp_path / "run.pdf"
    path.write_bytes(pdf)
    out = io.StringIO()
    call_command("extract_loss_run", str(path), "--json", stdout=out)
    data = json.loads(out.getvalue())

    assert list(data) == ["claims", "terms", "warnings"]
    assert [list(c) for c in data["claims"]] == [list(CLAIM_KEYS)] * len(truth.claims)
    assert sorted(data["claims"], key=lambda c: c["claim_number"]) == sorted(
        truth.claims, key=lambda c: c["claim_number"]
    )
    values = [v for c in data["claims"] for k, v in c.items() if k != "page"]
    assert all(isinstance(v, str) for v in values) and "" in values
    assert any(c["recoveries"].startswith("-") for c in data["claims"])
    terms = {t["policy_number"]: t for t in data["terms"]}
    assert [t["no_claims"] for t in data["terms"]] == [False, True, False]
    first = terms[truth.claims[0]["policy_number"]]
    assert first["printed_totals"] == first["extracted_totals"] and first["reconciled"] is True
    assert first["printed_totals"]["recoveries"].startswith("-")
    assert data["warnings"] == []
