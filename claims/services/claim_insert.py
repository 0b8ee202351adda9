"""Inserting many claim rows fast: raw SQL (COPY on PostgreSQL, executemany elsewhere)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connection

from claims.importers.records import CLAIM_FIELDS, CLAIM_ROW
from claims.models import Claim

__all__ = ["BATCH_SIZE", "CLAIM_FIELDS", "INSERT_COLUMNS", "claims_insert"]

BATCH_SIZE = 2000

INSERT_COLUMNS = (
    "agency_id",
    "insured_id",
    "report_id",
    "term_id",
    "carrier_id",
    *CLAIM_ROW,
)


def claims_insert(rows: Iterable[tuple]) -> int:
    """Insert claim rows (tuples in INSERT_COLUMNS order); call inside a transaction.

    Not bulk_create: building 100,000 model instances, and Django's 999-parameter cap on
    SQLite (52 claims per statement), made imports several times slower. The values are
    already validated: Decimal and date, or the text the fast row check
    (claims.importers.fastrows) gives, which is what the database adapters make of them
    (Django's SQLite backend registers Decimal -> str and date -> ISO text; PostgreSQL's
    COPY reads text). PostgreSQL gets COPY; other databases `executemany` in batches of
    BATCH_SIZE.
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
            cursor.executemany(sql, batch)
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
