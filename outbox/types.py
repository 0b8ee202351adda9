"""TEMP outbox stand-in: replaced by the outbox branch at merge."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    storage_name: str
    filename: str
    content_type: str
