"""The database half of a backup: a consistent copy, the row count of every table, and the
names of every stored file, all from one point in time; and putting a copy back.

SQLite is copied with its online backup API (readers and writers go on meanwhile); counts
and file names are then read from the copy itself. PostgreSQL is dumped by `pg_dump -Fc`
from a snapshot exported by a REPEATABLE READ transaction in which the counts and file
names are read too, so all three describe the same instant.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connection, models, transaction

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
# Rows `migrate` itself writes: a migrated but otherwise empty database still counts as empty.
SCHEMA_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


class DatabaseError(Exception):
    """A dump or restore tool failed; the message says how."""


@dataclass(frozen=True)
class Snapshot:
    vendor: str
    file: str
    tables: dict[str, int]
    files: list[tuple[str, str]]  # (stored name, SHA-256 recorded in the row, or "")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def file_columns() -> Iterator[tuple[str, str, str | None]]:
    """(table, file column, sha256 column or None) for every FileField of every model."""
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                sha = model._meta.get_field("sha256").column if "sha256" in names else None
                yield model._meta.db_table, field.column, sha


def _read(cursor, tables: list[str]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - quoted names
        counts[table] = cursor.fetchone()[0]
    files: list[tuple[str, str]] = []
    for table, column, sha in file_columns():
        if table not in counts:
            continue
        sha_sql = _quote(sha) if sha else "''"
        cursor.execute(
            f"SELECT {_quote(column)}, {sha_sql} FROM {_quote(table)}"  # noqa: S608
            f" WHERE {_quote(column)} <> '' ORDER BY 1"
        )
        files.extend((name, digest or "") for name, digest in cursor.fetchall())
    return counts, files


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [r[0] for r in rows]


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
    ):
        if value:
            env[key] = str(value)
    return env


def _run(args: list[str]) -> None:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise DatabaseError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def snapshot(directory: Path) -> Snapshot:
    """Copy the database into `directory`; its row counts and file names at that instant."""
    if connection.vendor == "sqlite":
        target = directory / SQLITE_FILE
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            counts, files = _read(copy.cursor(), _sqlite_tables(copy))
        return Snapshot("sqlite", SQLITE_FILE, counts, files)
    if connection.vendor == "postgresql":
        target = directory / POSTGRES_FILE
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            counts, files = _read(cursor, connection.introspection.table_names(cursor))
            _run(
                ["pg_dump", "-Fc", "--no-owner", "--no-privileges", "--snapshot", snapshot_id]
                + ["-f", str(target)]
            )
        return Snapshot("postgresql", POSTGRES_FILE, counts, files)
    raise DatabaseError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def tables_with_rows() -> dict[str, int]:
    """Tables of the live database that hold rows beyond what `migrate` writes."""
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor)]
        counts, _ = _read(cursor, [t for t in tables if t not in SCHEMA_TABLES])
    return {t: n for t, n in counts.items() if n}


def table_counts(tables: list[str]) -> dict[str, int | None]:
    """Row count of each named table of the live database (None: the table is missing)."""
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        counts, _ = _read(cursor, [t for t in tables if t in present])
    return {t: counts.get(t) for t in tables}


def load(vendor: str, path: Path) -> None:
    """Replace the live database's contents with the copy at `path`."""
    if vendor != connection.vendor:
        raise DatabaseError(
            f"This backup is of a {vendor} database; the configured one is {connection.vendor}."
        )
    if vendor == "sqlite":
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(path)) as source:
            source.backup(connection.connection)
        connection.close()
        return
    connection.close()  # pg_restore --clean must be able to drop the tables
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
        + ["--single-transaction", "--exit-on-error", "-d", connection.settings_dict["NAME"]]
        + [str(path)]
    )
