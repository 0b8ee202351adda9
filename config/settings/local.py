"""Embedded/demo mode for `make run`: SQLite, a SQLite-backed Celery broker, e-mail captured to files."""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SECRET_KEY", "embedded-demo-only-not-a-secret")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
# One cache for runserver and the worker: an import's progress is written by the worker.
os.environ.setdefault(
    "CACHE_URL", f"filecache://{Path(__file__).resolve().parents[2] / 'var' / 'cache'}"
)

from .base import *  # noqa: E402

ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
DEMO_DATA_ALLOWED = True
VAR_DIR.mkdir(exist_ok=True)
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
