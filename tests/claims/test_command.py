import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, LossRunReport
from tests.claims.files import csv_bytes
from tests.claims.layouts import prairie_xlsx
from tests.factories import CarrierFactory, InsuredFactory, LossRunRequestFactory

HEAD = [
    "Claim Number",
    "Loss Date",
    "Status",
    "Paid Loss",
    "Reserves",
    "Total Incurred",
    "Policy Period",
]


def rows(*extra):
    return [
        HEAD,
        ["C-1", "2025-02-01", "closed", "100", "0", "100", "2025-01-01 to 2026-01-01"],
        *extra,
    ]


@pytest.fixture
def setup(agency, tmp_path):
    insured = InsuredFactory(agency=agency)
    carrier = CarrierFactory()
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier)
    return agency, insured, carrier, tmp_path


def test_imports_a_clean_file_with_the_requested_carrier(setup, capsys):
    agency, insured, carrier, tmp = setup
    path = tmp / "run.csv"
    path.write_bytes(csv_bytes(rows()))
    call_command(
        "import_loss_run",
        str(path),
        agency=agency.slug,
        insured=insured.pk,
        valuation_date="2026-09-01",
    )
    report = LossRunReport.objects.get()
    assert (report.carrier, report.valuation_date, report.claims.count()) == (
        carrier,
        dt.date(2026, 9, 1),
        1,
    )
    assert report.document.original_name == "run.csv"
    assert "Imported 1 claims into report" in capsys.readouterr().out


def test_prints_row_errors_like_the_page_and_imports_nothing(setup, capsys):
    agency, insured, carrier, tmp = setup
    path = tmp / "run.csv"
    path.write_bytes(
        csv_bytes(rows(["C-2", "2025-02-30", "open", "1", "0", "1", "2025-01-01 to 2026-01-01"]))
    )
    with pytest.raises(CommandError, match="1 of 2 rows have errors; nothing was imported"):
        call_command("import_loss_run", str(path), agency=agency.slug, insured=insured.pk,
                     carrier=carrier.pk, valuation_date="2026-09-01")  # fmt: skip
    assert "row 3: date of loss 2025-02-30 is not a date" in capsys.readouterr().err
    assert Claim.objects.count() == 0 and LossRunReport.objects.count() == 0


def test_drop_bad_rows(setup, capsys):
    agency, insured, carrier, tmp = setup
    path = tmp / "run.csv"
    path.write_bytes(
        csv_bytes(rows(["C-2", "2025-02-30", "open", "1", "0", "1", "2025-01-01 to 2026-01-01"]))
    )
    call_command("import_loss_run", str(path), agency=agency.slug, insured=insured.pk,
                 valuation_date="2026-09-01", drop_bad_rows=True)  # fmt: skip
    assert Claim.objects.count() == 1
    assert "dropped 1 bad rows" in capsys.readouterr().out


def test_xlsx_with_the_term_on_the_command_line(setup):
    agency, insured, carrier, tmp = setup
    path = tmp / "wc.xlsx"
    path.write_bytes(prairie_xlsx())
    call_command("import_loss_run", str(path), "--agency", agency.slug, "--insured", str(insured.pk),
                 "--valuation-date", "2026-09-01", "--term-start", "2024-01-01", "--term-end", "2025-01-01",
                 "--line", "WC", "--premium", "40000", "--policy-number", "WC-1")  # fmt: skip
    assert Claim.objects.count() == 2


def test_another_agencys_insured_is_not_found(setup, other_agency):
    agency, insured, carrier, tmp = setup
    path = tmp / "run.csv"
    path.write_bytes(csv_bytes(rows()))
    with pytest.raises(CommandError, match="has no insured"):
        call_command("import_loss_run", str(path), agency=other_agency.slug, insured=insured.pk)


def test_missing_carrier_is_explained(agency, tmp_path):
    insured = InsuredFactory(agency=agency)
    path = tmp_path / "run.csv"
    path.write_bytes(csv_bytes(rows()))
    with pytest.raises(CommandError, match="Pass --carrier"):
        call_command("import_loss_run", str(path), agency=agency.slug, insured=insured.pk)
