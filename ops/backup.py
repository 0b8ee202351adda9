"""Backup and restore of the whole product: the database and every stored document.

A backup folder holds the database copy (see ops.database), `documents/` with every file
the database refers to, and `manifest.json`: the SHA-256 and size of the database copy
and of each document, and every table's row count, all taken at the database's snapshot.
Restoring checks every hash before it changes anything, loads the database, saves each
document to the configured storage (local disk or S3) and then reads everything back: each
table's row count and each document's bytes must match the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from ops import database
from ops.storage import CHUNK, file_sha256, walk_files

MANIFEST = "manifest.json"
DOCUMENTS = "documents"
FORMAT = 1


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


@dataclass
class Report:
    tables: int = 0
    rows: int = 0
    documents: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)


def _local_sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Refusing the unsafe document name {name!r} in the manifest.")
    return path


def backup(directory: Path) -> Report:
    """Write a consistent backup into `directory`, which must be missing or empty."""
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty; back up into a new folder.")
    (directory / DOCUMENTS).mkdir(parents=True, exist_ok=True)
    snap = database.snapshot(directory)
    db_sha, db_size = _local_sha256(directory / snap.file)
    report = Report(tables=len(snap.tables), rows=sum(snap.tables.values()))
    documents = []
    for name, recorded in snap.files:
        target = directory / DOCUMENTS / _safe_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        try:
            with default_storage.open(name, "rb") as source, target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        except FileNotFoundError:
            report.problems.append(f"{name}: in the database but missing from the storage")
            target.unlink(missing_ok=True)
            continue
        sha = digest.hexdigest()
        if recorded and recorded != sha:
            report.problems.append(f"{name}: stored bytes differ from the hash recorded at upload")
        documents.append({"name": name, "sha256": sha, "size": size})
        report.documents += 1
        report.bytes += size
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": snap.vendor, "file": snap.file, "sha256": db_sha, "size": db_size},
        "tables": snap.tables,
        "documents": documents,
        "problems": report.problems,
    }
    tmp = directory / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    os.replace(tmp, directory / MANIFEST)  # a folder without a manifest is no backup
    return report


def read_manifest(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{directory} holds no {MANIFEST}: not a finished backup.") from exc
    except json.JSONDecodeError as exc:
        raise BackupError(f"{directory / MANIFEST} is damaged: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def verify_folder(directory: Path, manifest: dict) -> None:
    """Every file of the backup has the bytes the manifest says, or BackupError."""
    db = manifest["database"]
    bad = []
    if _local_sha256(directory / db["file"])[0] != db["sha256"]:
        bad.append(db["file"])
    for doc in manifest["documents"]:
        path = directory / DOCUMENTS / _safe_relative(doc["name"])
        if not path.is_file() or _local_sha256(path)[0] != doc["sha256"]:
            bad.append(f"{DOCUMENTS}/{doc['name']}")
    if bad:
        shown = ", ".join(bad[:10]) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise BackupError(f"The backup is damaged (hash mismatch or missing): {shown}.")


def target_contents() -> list[str]:
    """What already lives in the configured database and storage (empty: nothing)."""
    found = [f"table {t}: {n} rows" for t, n in sorted(database.tables_with_rows().items())]
    stored = next(iter(walk_files(default_storage)), None)
    if stored is not None:
        found.append(f"storage: holds files (e.g. {stored})")
    return found


def _put_document(directory: Path, doc: dict) -> None:
    name = doc["name"]
    if default_storage.exists(name):
        if file_sha256(default_storage, name)[0] == doc["sha256"]:
            return
        default_storage.delete(name)
    with (directory / DOCUMENTS / _safe_relative(name)).open("rb") as handle:
        saved = default_storage.save(name, File(handle, name=name))
    if saved != name:
        raise BackupError(f"The storage saved {name} as {saved}; restore into an empty storage.")


def verify_restored(manifest: dict) -> Report:
    """Read the restored database and storage back and compare them with the manifest."""
    report = Report()
    counts = database.table_counts(list(manifest["tables"]))
    for table, expected in manifest["tables"].items():
        actual = counts[table]
        if actual != expected:
            report.problems.append(f"table {table}: {actual} rows, the backup has {expected}")
        report.tables += 1
        report.rows += actual or 0
    for doc in manifest["documents"]:
        try:
            sha, size = file_sha256(default_storage, doc["name"])
        except FileNotFoundError:
            report.problems.append(f"document {doc['name']}: missing after restore")
            continue
        if sha != doc["sha256"]:
            report.problems.append(f"document {doc['name']}: bytes differ after restore")
        report.documents += 1
        report.bytes += size
    return report


def restore(directory: Path, *, force: bool = False) -> Report:
    """Restore the backup in `directory` into the configured database and storage."""
    manifest = read_manifest(directory)
    verify_folder(directory, manifest)
    if not force:
        present = target_contents()
        if present:
            raise BackupError(
                "The database or storage is not empty ("
                + "; ".join(present[:5])
                + "). Restore into an empty one, or pass --force to overwrite it."
            )
    database.load(manifest["database"]["vendor"], directory / manifest["database"]["file"])
    for doc in manifest["documents"]:
        _put_document(directory, doc)
    return verify_restored(manifest)
