"""How far a running import has read, kept in the shared cache.

The import stores its rows inside one transaction (all or nothing), so a progress figure
written to the job's row from the same connection would stay invisible to the pages until
the import ends. The figure is therefore written to the cache (Redis in production, a file
cache in embedded mode: both shared by the web server and the worker) and read back by the
pages while the job runs; the job's own column keeps the figure of the finished run.
"""

from __future__ import annotations

from django.core.cache import cache

# Long enough for any import; a killed worker's figure expires by itself.
TTL_SECONDS = 6 * 3600


def _key(job_id: int) -> str:
    return f"claims:import-progress:{job_id}"


def progress_save(job_id: int, row_number: int) -> None:
    cache.set(_key(job_id), row_number, TTL_SECONDS)


def progress_clear(job_id: int) -> None:
    cache.delete(_key(job_id))


def progress_read(job_id: int) -> int | None:
    value = cache.get(_key(job_id))
    return value if isinstance(value, int) else None
