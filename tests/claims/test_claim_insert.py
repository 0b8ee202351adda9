"""Claim rows stream into the database (one COPY on PostgreSQL, multi-row INSERTs on
SQLite) inside the import's transaction: every row stored once with its values, new terms
mid-stream, and nothing left behind (nor a COPY left open) when the import ends in error.
Every test twice: the rows read and checked in this process, and in a forked child
(claims.importers.forked, as large files are)."""

import datetime as dt
import io
import sqlite3
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from claims import services
from claims.models import Claim, LossRunReport, ReportTerm
from claims.services import claim_insert
from tests.claims.files import csv_bytes
from tests.claims.test_import import HEAD, good
from tests.factories import CarrierFactory, InsuredFactory

VALUED = dt.date(2026, 9, 30)


@pytest.fixture
def target(agency):
    return {"agency": agency, "user": None, "insured": InsuredFactory(agency=agency),
            "carrier": CarrierFactory()}  # fmt: skip


@pytest.fixture(autouse=True, params=["here", "forked"])
def reader(request, monkeypatch):
    monkeypatch.setattr("claims.services.imports.forks", lambda fileobj: request.param == "forked")
    return request.param


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 7 rows, 3 per statement: full statements and a shorter last one."""
    monkeypatch.setattr(claim_insert, "BATCH_SIZE", 7)
    monkeypatch.setattr(claim_insert, "ROWS_PER_STATEMENT", 3)


def rows(count: int) -> list[list[str]]:
    """`count` good rows; the policy changes at rows 6 and 13 (a term arrives mid-stream)."""
    return [good(f"C-{n}", **{"Policy #": f"GL-{n // 6}", "Indemnity Paid": f"{n}.25",
                              "Total Incurred": f"{n}.25"})
            for n in range(count)]  # fmt: skip


def run(target, data: bytes, **kwargs):
    return services.loss_run_import(fileobj=io.BytesIO(data), valuation_date=VALUED, **target, **kwargs)  # fmt: skip


@pytest.mark.usefixtures("small_batches")
def test_every_row_is_stored_once_with_its_values_and_its_term(target):
    outcome = run(target, csv_bytes([HEAD, *rows(17)]))
    assert outcome.imported == 17
    stored = list(Claim.objects.order_by("id").values_list("claim_number", "paid_indemnity",
                                                          "term__policy_number"))  # fmt: skip
    assert stored == [(f"C-{n}", Decimal(f"{n}.25"), f"GL-{n // 6}") for n in range(17)]
    assert ReportTerm.objects.count() == 3


@pytest.mark.usefixtures("small_batches")
def test_a_rejected_import_leaves_nothing_and_the_connection_usable(target):
    bad = rows(17)
    bad[15] = good("C-15", Status="open", DOL="2023-13-01")
    with pytest.raises(services.ImportRejected):
        run(target, csv_bytes([HEAD, *bad]))
    assert (Claim.objects.count(), LossRunReport.objects.count()) == (0, 0)
    assert run(target, csv_bytes([HEAD, *rows(3)])).imported == 3


@pytest.mark.usefixtures("small_batches")
def test_an_error_in_the_middle_of_the_stream_rolls_everything_back(target, monkeypatch):
    def progress(row_number: int) -> None:
        raise RuntimeError("worker stopped")

    monkeypatch.setattr("claims.importers.PROGRESS_EVERY", 10)  # after 10 rows are streamed
    monkeypatch.setattr("claims.importers.BLOCK_ROWS", 5)
    with pytest.raises(RuntimeError, match="worker stopped"):
        run(target, csv_bytes([HEAD, *rows(17)]), progress=progress)
    monkeypatch.undo()
    assert (Claim.objects.count(), LossRunReport.objects.count()) == (0, 0)
    assert run(target, csv_bytes([HEAD, *rows(3)])).imported == 3


def test_statements_fit_the_sqlite_variable_limit():
    connection = sqlite3.connect(":memory:")
    connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    assert claim_insert._rows_per_statement(connection) == 999 // len(claim_insert.INSERT_COLUMNS)
    connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 250_000)
    assert claim_insert._rows_per_statement(connection) == claim_insert.ROWS_PER_STATEMENT
    assert claim_insert._rows_per_statement(object()) == 1


@pytest.mark.usefixtures("small_batches")
def test_a_progress_callback_may_query_the_database_while_rows_stream(target, monkeypatch):
    """A query on the import's connection pauses the stream first: the COPY ends (psycopg
    would wait forever), SQLite's buffered rows are stored; the query sees every row
    streamed so far."""
    counted: list[int] = []
    monkeypatch.setattr("claims.importers.PROGRESS_EVERY", 5)
    monkeypatch.setattr("claims.importers.BLOCK_ROWS", 5)  # the header and 4 claims, then 5s
    outcome = run(target, csv_bytes([HEAD, *rows(17)]),
                  progress=lambda row_number: counted.append(Claim.objects.count()))  # fmt: skip
    assert outcome.imported == 17 and Claim.objects.count() == 17
    assert counted == [9, 14, 17]  # at the end of each block that passes a multiple of 5


@pytest.mark.usefixtures("small_batches")
def test_a_row_the_database_refuses_fails_the_insert_with_djangos_error(target):
    """The database's refusal reaches the import as Django's IntegrityError (not sqlite3's or
    psycopg's), and none of the rows around it is kept."""
    run(target, csv_bytes([HEAD, *rows(3)]))
    claim = Claim.objects.get(claim_number="C-1")
    row = tuple(getattr(claim, column) for column in claim_insert.INSERT_COLUMNS)
    at = claim_insert.INSERT_COLUMNS.index("total_incurred")
    refused = (*row[:at], claim.total_incurred + 1, *row[at + 1 :])  # breaks the CHECK
    with pytest.raises(IntegrityError), transaction.atomic():
        claim_insert.claims_insert([row] * 8 + [refused] + [row] * 8)
    assert Claim.objects.count() == 3
    with transaction.atomic():
        assert claim_insert.claims_insert([row] * 8) == 8
    assert Claim.objects.count() == 11
