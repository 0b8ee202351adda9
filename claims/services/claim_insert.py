"""Inserting many claim rows fast: raw SQL (one COPY stream on PostgreSQL, multi-row INSERTs
on a thread of their own on SQLite).

Not bulk_create: building 100,000 model instances, and Django's 999-parameter cap on SQLite
(52 claims per statement), made imports several times slower. The values are already
validated: Decimal and date, or the text the fast row check (claims.importers.fastrows)
gives, which is what the database adapters make of them (Django's SQLite backend registers
Decimal -> str and date -> ISO text, for every sqlite3 connection; PostgreSQL's COPY reads
text).

While the stream is open no other statement may run beside it: a Django execute wrapper
pauses the stream (ends the COPY, or waits for the SQLite writer) before any statement the
import makes on the connection (a new term's row, whatever a progress callback queries).

- PostgreSQL: rows go into one COPY stream while they are read, so the server stores them
  while the file is still being checked. Batches of COPY (one per 2,000 rows) made the
  import wait for the server at every batch's end.
- SQLite: rows are buffered and inserted ROWS_PER_STATEMENT at a time, as many as the
  library's variable limit allows (measured, 100,000 rows: 2.0 s one row per statement,
  1.0 s 100 rows, 0.83 s 500 rows). The INSERTs run on a writer thread through the same
  sqlite3 connection (Django opens it with check_same_thread=False): sqlite3 releases the
  GIL while SQLite stores a statement's rows, so storing batch N (a third of an import's
  time, with the claims table's indexes, CHECK constraints and foreign-key look-ups) runs
  on the second core while batch N+1 is read and checked. The statements are written with
  SQLite's own `?` placeholders: Django's cursor rewrites `%s` in 12,000-placeholder
  statements on every call.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterable
from contextlib import ExitStack
from itertools import chain
from typing import Any

from django.db import connection

from claims.importers.records import CLAIM_FIELDS, CLAIM_ROW
from claims.models import Claim

__all__ = ["BATCH_SIZE", "CLAIM_FIELDS", "INSERT_COLUMNS", "ClaimStream", "claims_insert"]

BATCH_SIZE = 2000  # rows buffered before they go to the writer (SQLite)
ROWS_PER_STATEMENT = 500
QUEUED_BATCHES = 2  # batches waiting for the writer: the reader waits beyond that

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
    exception that ends an import, so that no COPY or writer outlives it and the
    transaction rolls back."""

    def __init__(self) -> None:
        self.count = 0
        self._copying = connection.vendor == "postgresql"
        self._stack = ExitStack()
        self._copy: Any = None
        self._writer: _SQLiteWriter | None = None
        self._batch: list[tuple] = []

    def add(self, row: tuple) -> None:
        if self._copying:
            copy = self._copy or self._copy_open()
            copy.write_row(row)
            self.count += 1
            return
        if self._writer is None:
            self._writer_open()
        self._batch.append(row)
        if len(self._batch) >= BATCH_SIZE:
            self._hand_over()

    def _guard(self) -> None:
        """Any other statement on this connection pauses the stream first: psycopg would
        wait for the COPY forever; on SQLite it would run beside the writer's INSERTs."""
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

    def _before_statement(self, execute: Any, sql: str, params: Any, many: bool, context: dict) -> Any:  # fmt: skip
        self.pause()
        return execute(sql, params, many, context)

    def _writer_open(self) -> None:
        self._guard()
        connection.ensure_connection()
        self._writer = _SQLiteWriter(connection.connection)

    def _hand_over(self) -> None:
        rows, self._batch = self._batch, []
        if rows:
            assert self._writer is not None  # opened by the first row
            self._writer.put(rows)
            self.count += len(rows)

    def pause(self) -> None:
        """Write what is buffered and end the COPY or the writer, if any, so that other
        statements may run; raises the error a writer met."""
        if self._copying:
            self._copy = None
            with connection.wrap_database_errors:  # a refused row: psycopg's error as Django's
                self._stack.close()
            return
        self._hand_over()
        writer, self._writer = self._writer, None
        self._stack.close()
        if writer is not None:
            writer.finish()

    def close(self, error: BaseException | None = None) -> None:
        """The last rows; with `error`, none: the COPY is failed, the writer stopped and the
        buffer dropped."""
        if error is None:
            self.pause()
            return
        self._batch = []
        self._copy = None
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.stop()
        self._stack.__exit__(type(error), error, error.__traceback__)


class _SQLiteWriter:
    """A thread that runs the multi-row INSERTs of the batches it is handed, in order, on the
    import's own sqlite3 connection (so inside its transaction)."""

    def __init__(self, raw_connection: sqlite3.Connection) -> None:
        self._connection = raw_connection
        self._per = _rows_per_statement(raw_connection)
        table, columns = _names()
        self._sql = _insert_sql(table, columns, self._per)
        self._table, self._columns = table, columns
        self._queue: queue.Queue[list[tuple] | None] = queue.Queue(maxsize=QUEUED_BATCHES)
        self._error: Exception | None = None
        self._dropping = False  # stopped, or an INSERT failed: what is queued is not stored
        self._thread = threading.Thread(target=self._run, name="claim-insert", daemon=True)
        self._thread.start()

    def put(self, rows: list[tuple]) -> None:
        self._raise()
        self._queue.put(rows)

    def _run(self) -> None:
        cursor = self._connection.cursor()
        try:
            while (rows := self._queue.get()) is not None:
                if self._dropping:
                    continue
                try:
                    self._insert(cursor, rows)
                except Exception as exc:  # raised in the import's thread by _raise
                    self._error, self._dropping = exc, True
        finally:
            cursor.close()

    def _insert(self, cursor: sqlite3.Cursor, rows: list[tuple]) -> None:
        per = self._per
        full = len(rows) - len(rows) % per
        if full:
            flat = [tuple(chain.from_iterable(rows[i : i + per])) for i in range(0, full, per)]
            cursor.executemany(self._sql, flat)
        if full < len(rows):
            rest = rows[full:]
            sql = _insert_sql(self._table, self._columns, len(rest))
            cursor.execute(sql, tuple(chain.from_iterable(rest)))

    def stop(self) -> None:
        """Wait for the thread to end; what is still queued is not stored."""
        self._dropping = True
        self._queue.put(None)
        self._thread.join()

    def finish(self) -> None:
        """Wait until every batch handed over is stored; raises the error the writer met."""
        self._queue.put(None)
        self._thread.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            with connection.wrap_database_errors:  # sqlite3's errors as Django's
                raise self._error


def _rows_per_statement(raw_connection: object) -> int:
    """Rows per INSERT: ROWS_PER_STATEMENT, fewer when SQLite's variable limit is lower
    (999 before SQLite 3.32); one row per statement on other databases."""
    if not isinstance(raw_connection, sqlite3.Connection):
        return 1
    limit = raw_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(ROWS_PER_STATEMENT, limit // len(INSERT_COLUMNS)))


def _insert_sql(table: str, columns: str, rows: int) -> str:
    """A multi-row INSERT with sqlite3's own placeholders (the writer's raw cursor)."""
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
