"""Walking a Django storage (local disk or S3) without knowing which it is."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.core.files.storage import Storage

CHUNK = 1024 * 1024


def walk_files(storage: Storage, top: str = "") -> Iterator[str]:
    """Every file's name in the storage, below `top`, in sorted order."""
    try:
        folders, files = storage.listdir(top)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{top}/{name}" if top else name
    for folder in sorted(folders):
        yield from walk_files(storage, f"{top}/{folder}" if top else folder)


def file_sha256(storage: Storage, name: str) -> tuple[str, int]:
    """The SHA-256 (hex) and size of one stored file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
