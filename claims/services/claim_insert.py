"""Inserting many claim rows fast: raw SQL (one COPY stream on PostgreSQL, multi-row INSERTs
on SQLite).

Not bulk_create: building 100,000 model instances, and Django's 999-parameter cap on SQLite
(52 claims per statement), made imports several times slower. The values are already
validated: Decimal and date, or the text the fast row check (claims.importers.fastrows)
gives, which is what the database adapters make of them (Django's SQLite backend registers
Decimal -> str and date -> ISO text, for every sqlite3 connection; PostgreSQL's COPY reads
text).

While the stream is open, any statement the import makes through Django (a new term's row,
whatever a progress callback queries) pauses it first (a Django execute wrapper): the COPY
ends, or SQLite's buffered rows are stored, so the statement sees every row streamed so far.

- PostgreSQL: rows go into one COPY stream while they are read, so the server stores them
  while the file is still being checked. Batches of COPY (one per 2,000 rows) made the
  import wait for the server at every batch's end.
- SQLite: rows are buffered and inserted ROWS_PER_STATEMENT at a time, as many as the
  library's variable limit allows (measured, 100,000 rows: 2.0 s one row per statement,
  1.0 s 100 rows, 0.83 s 500 rows), through the connection's own sqlite3 cursor with `?`
  placeholders: Django's cursor rewrites the 12,000 `%s` of such a statement on every call.
  Inserting on a writer thread was tried and measured (2 Dec, quiet machine): sqlite3 holds
  the GIL while it binds a statement's 12,000 values, so the import's wall time did not move
  (5.35-5.5 s against 5.3-5.7 s) and it cost 0.9 s more CPU.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import ExitStack
from itertools import chain
from operator import add
from typing import Any

from django.db import connection

from claims.importers.records import CLAIM_FIELDS, CLAIM_ROW
from claims.models import Claim

__all__ = ["BATCH_SIZE", "CLAIM_FIELDS", "INSERT_COLUMNS", "ClaimStream", "claims_insert"]

BATCH_SIZE = 2000  # rows buffered before an INSERT (SQLite)
ROWS_PER_STATEMENT = 500

INSERT_COLUMNS = (
    "agency_id",
    "insured_id",
    "report_id",
    "term_id",
    "carrier_id",
    *CLAIM_ROW,
)


def _names() -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(Claim._meta.db_table), ", ".join(quote(c) for c in INSERT_COLUMNS)


class ClaimStream:
    """Claim rows (tuples in INSERT_COLUMNS order) written as they come; use inside the
    import's transaction. `pause()` before running any other statement on the connection
    (done by itself for statements made through Django), `close()` at the end: with the
    exception that ends an import, so that no COPY outlives it and the transaction rolls
    back."""

    def __init__(self) -> None:
        self.count = 0
        self._copying = connection.vendor == "postgresql"
        self._stack = ExitStack()
        self._copy: Any = None
        self._cursor: sqlite3.Cursor | None = None
        self._heads: list[tuple] = []  # the buffer (SQLite): each row's first columns
        self._batch: list[tuple] = []  # and the rest

    def add(self, row: tuple) -> None:
        self.add_many([()], [row])

    def add_many(self, heads: list[tuple], rows: list[tuple]) -> None:
        """Rows in INSERT_COLUMNS order, each as its first columns (`heads`: the ids, which a
        term's claims share) and the rest, so that no row is copied whole to join them."""
        if self._copying:
            copy = self._copy or self._copy_open()
            for row in map(add, heads, rows):
                copy.write_row(row)
            self.count += len(rows)
            return
        if self._cursor is None:
            self._cursor_open()
        self._heads.extend(heads)
        self._batch.extend(rows)
        if len(self._batch) >= BATCH_SIZE:
            self._insert()

    def _guard(self) -> None:
        """Any other statement on this connection pauses the stream first (psycopg would
        wait for the COPY forever; SQLite's buffer would be missing from what it reads)."""
        self._stack.enter_context(connection.execute_wrapper(self._before_statement))

    def _copy_open(self) -> Any:  # psycopg's Copy (imported only on PostgreSQL)
        table, columns = _names()
        self._guard()
        cursor = self._stack.enter_context(connection.cursor())
        # Identifiers are the model's own, quoted; values travel in the COPY stream.
        self._copy = self._stack.enter_context(
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN")
        )
        return self._copy

    def _cursor_open(self) -> None:
        self._guard()
        connection.ensure_connection()
        self._cursor = connection.connection.cursor()
        self._stack.callback(self._cursor_close)

    def _cursor_close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None

    def _before_statement(self, execute: Any, sql: str, params: Any, many: bool, context: dict) -> Any:  # fmt: skip
        self.pause()
        return execute(sql, params, many, context)

    def _insert(self) -> None:
        heads, rows, self._heads, self._batch = self._heads, self._batch, [], []
        if not rows:
            return
        cursor = self._cursor
        assert cursor is not None  # opened by the first row
        table, columns = _names()
        per = _rows_per_statement(connection.connection)
        full = len(rows) - len(rows) % per
        with connection.wrap_database_errors:  # a refused row: sqlite3's error as Django's
            if full:
                flat = [_flat(heads[i : i + per], rows[i : i + per]) for i in range(0, full, per)]
                cursor.executemany(_insert_sql(table, columns, per), flat)
            if full < len(rows):
                rest = _flat(heads[full:], rows[full:])
                cursor.execute(_insert_sql(table, columns, len(rows) - full), rest)
        self.count += len(rows)

    def pause(self) -> None:
        """Write what is buffered and end the COPY, if any, so that other statements may run."""
        if self._copying:
            self._copy = None
            with connection.wrap_database_errors:  # a refused row: psycopg's error as Django's
                self._stack.close()
            return
        self._insert()
        self._stack.close()

    def close(self, error: BaseException | None = None) -> None:
        """The last rows; with `error`, none: the COPY is failed and the buffer dropped."""
        if error is None:
            self.pause()
            return
        self._heads, self._batch = [], []
        self._copy = None
        self._stack.__exit__(type(error), error, error.__traceback__)


def _flat(heads: list[tuple], rows: list[tuple]) -> tuple:
    """The values of one statement: each row's head, then the row."""
    return tuple(chain.from_iterable(chain.from_iterable(zip(heads, rows, strict=True))))


def _rows_per_statement(raw_connection: object) -> int:
    """Rows per INSERT: ROWS_PER_STATEMENT, fewer when SQLite's variable limit is lower
    (999 before SQLite 3.32); one row per statement on other databases."""
    if not isinstance(raw_connection, sqlite3.Connection):
        return 1
    limit = raw_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(ROWS_PER_STATEMENT, limit // len(INSERT_COLUMNS)))


def _insert_sql(table: str, columns: str, rows: int) -> str:
    """A multi-row INSERT with sqlite3's own placeholders (for the connection's raw cursor)."""
    one = f"({', '.join(['?'] * len(INSERT_COLUMNS))})"
    # Identifiers are the model's own, quoted; every value is a query parameter.
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * rows)}"  # noqa: S608


def claims_insert(rows: Iterable[tuple]) -> int:
    """Insert claim rows (tuples in INSERT_COLUMNS order); call inside a transaction."""
    stream = ClaimStream()
    try:
        for row in rows:
            stream.add(row)
    except BaseException as exc:
        stream.close(exc)
        raise
    stream.close()
    return stream.count
