"""Value types callers hand to the outbox."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Attachment:
    """A file already saved in `default_storage`, attached under `filename` when sent."""

    storage_name: str
    filename: str
    content_type: str

    def as_json(self) -> dict[str, str]:
        return asdict(self)
