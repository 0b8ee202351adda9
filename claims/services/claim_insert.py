"""Inserting many claim rows fast: raw SQL (COPY on PostgreSQL, executemany elsewhere)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import connection

from claims.models import Claim

BATCH_SIZE = 2000

CLAIM_FIELDS = (
    "claim_number",
    "date_of_loss",
    "date_reported",
    "status",
    "cause_of_loss",
    "claimant",
    "description",
    "paid_indemnity",
    "paid_medical",
    "paid_expense",
    "recoveries",
    "reserves",
    "total_incurred",
    "status_as_printed",
    "date_closed",
    "adjuster",
    "driver",
)

INSERT_COLUMNS = (
    "agency_id",
    "insured_id",
    "report_id",
    "term_id",
    "carrier_id",
    "claim_key",
    "report_lag_days",
    *CLAIM_FIELDS,
)


def claims_insert(rows: Iterable[tuple]) -> int:
    """Insert claim rows (tuples in INSERT_COLUMNS order); call inside a transaction.

    Not bulk_create: building 100,000 model instances, and Django's 999-parameter cap on
    SQLite (52 claims per statement), made imports several times slower. The values are
    already validated and typed (Decimal, date). PostgreSQL gets COPY; other databases
    `executemany` in batches of BATCH_SIZE.
    """
    quote = connection.ops.quote_name
    table = quote(Claim._meta.db_table)
    columns = ", ".join(quote(c) for c in INSERT_COLUMNS)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Identifiers are the model's own, quoted; values travel in the COPY stream.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        # Identifiers are the model's own, quoted; every value is a query parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(INSERT_COLUMNS))})"  # noqa: S608
        for batch in _batched(rows):
            cursor.executemany(sql, [tuple(map(_adapt_value, row)) for row in batch])
            count += len(batch)
    return count


def _batched(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _adapt_value(value: Any) -> Any:
    """SQLite takes Decimal and date as text (the other databases take them as they are)."""
    return str(value) if isinstance(value, Decimal | dt.date) else value
