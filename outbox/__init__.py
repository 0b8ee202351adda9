"""TEMP outbox stand-in: replaced by the outbox branch at merge (see OUTBOX_API.md)."""
