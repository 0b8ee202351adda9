"""Restore drill on real processes: demo data -> `backup` -> `restore` into a fresh database
and fresh storage -> every row of every table and every document's bytes identical.

On the embedded defaults (SQLite files, documents on disk) always; on PostgreSQL + S3 (moto's
server on loopback) when DATABASE_URL is PostgreSQL, as in CI.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest

from tests import s3
from tests.drills.harness import DrillDatabase

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DATABASE_URL = os.environ.get("DATABASE_URL", "")


def manage(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "AWS_", "DATABASE_URL", "DOCUMENT_ROOT", "CELERY_"))
    }
    done = subprocess.run(  # noqa: S603 - fixed argument lists
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and done.returncode:
        raise AssertionError(f"{args} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return done


def sqlite_rows(path: Path) -> dict[str, str]:
    """Per table, its row count and a fingerprint of all its rows (order-independent)."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found = {}
        for t in tables:
            rows = sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"')))  # noqa: S608
            found[t] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        return found


def postgres_rows(db: DrillDatabase) -> dict[str, str]:
    tables = [r[0] for r in db.rows("SELECT tablename FROM pg_tables WHERE schemaname='public'")]
    return {
        t: db.rows(
            f"SELECT count(*), md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), ''))"  # noqa: S608
            f' FROM "{t}" AS x'
        )[0]
        for t in tables
    }


def folder_files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def bucket_files(endpoint: str, bucket: str) -> dict[str, str]:
    client = s3.client(endpoint)
    keys = [
        o["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for o in page.get("Contents", [])
    ]
    return {
        k: hashlib.sha256(client.get_object(Bucket=bucket, Key=k)["Body"].read()).hexdigest()
        for k in keys
    }


def test_embedded_backup_restores_every_row_and_byte_and_refuses_to_overwrite(tmp_path):
    source = {"DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}"}
    source["DOCUMENT_ROOT"] = str(tmp_path / "docs-a")
    fresh = {"DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite3'}"}
    fresh["DOCUMENT_ROOT"] = str(tmp_path / "docs-b")
    backup_dir = tmp_path / "backup"
    manage("migrate", "--noinput", env=source)
    manage("seed_demo", env=source)
    out = manage("backup", str(backup_dir), env=source).stdout
    assert "Backed up" in out

    done = manage("restore", str(backup_dir), env=fresh)
    assert "Restored and verified" in done.stdout
    rows = sqlite_rows(tmp_path / "a.sqlite3")
    assert rows["claims_claim"][0] > 0 and rows["vault_document"][0] > 0
    assert sqlite_rows(tmp_path / "b.sqlite3") == rows
    documents = folder_files(tmp_path / "docs-a")
    assert len(documents) >= 5
    assert folder_files(tmp_path / "docs-b") == documents

    again = manage("restore", str(backup_dir), env=fresh, check=False)
    assert again.returncode != 0 and "not empty" in again.stderr and "--force" in again.stderr
    assert (
        "Restored and verified" in manage("restore", str(backup_dir), "--force", env=fresh).stdout
    )

    manifest = json.loads((backup_dir / "manifest.json").read_text())
    damaged = backup_dir / "documents" / manifest["documents"][0]["name"]
    damaged.write_bytes(damaged.read_bytes() + b"x")
    other = {"DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
    other["DOCUMENT_ROOT"] = str(tmp_path / "docs-c")
    refused = manage("restore", str(backup_dir), env=other, check=False)
    assert refused.returncode != 0 and "damaged" in refused.stderr
    assert not (tmp_path / "docs-c").exists()

    into_full = manage("backup", str(backup_dir), env=source, check=False)
    assert into_full.returncode != 0 and "not empty" in into_full.stderr


@pytest.mark.postgres
@pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="needs DATABASE_URL=postgres://...",
)
def test_postgres_and_s3_backup_restores_into_a_fresh_database_and_bucket(tmp_path, s3_endpoint):
    stamp = uuid.uuid4().hex[:8]
    dbs = {}
    for side in ("a", "b"):
        dbs[side] = DrillDatabase(DATABASE_URL, f"restore_drill_{side}_{stamp}")
        dbs[side].recreate()
        s3.create_bucket(s3_endpoint, f"restore-{side}-{stamp}")

    def env(side: str) -> dict:
        return {
            "DATABASE_URL": dbs[side].url(),
            "AWS_STORAGE_BUCKET_NAME": f"restore-{side}-{stamp}",
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_S3_REGION_NAME": "us-east-1",
        }

    try:
        manage("migrate", "--noinput", env=env("a"))
        manage("seed_demo", env=env("a"))
        manage("backup", str(tmp_path / "backup"), env=env("a"))
        assert (tmp_path / "backup" / "database.pgdump").stat().st_size > 0

        done = manage("restore", str(tmp_path / "backup"), env=env("b"))
        assert "Restored and verified" in done.stdout
        rows = postgres_rows(dbs["a"])
        assert rows["claims_claim"][0] > 0
        assert postgres_rows(dbs["b"]) == rows
        documents = bucket_files(s3_endpoint, f"restore-a-{stamp}")
        assert len(documents) >= 5
        assert bucket_files(s3_endpoint, f"restore-b-{stamp}") == documents

        again = manage("restore", str(tmp_path / "backup"), env=env("b"), check=False)
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        for db in dbs.values():
            db.drop()
