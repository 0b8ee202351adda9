"""Shared set-up of the tracker benchmarks: Django on the PostgreSQL database bench_tracker.

createdb bench_tracker   # once (the benchmarks migrate it)
DATABASE_URL=postgres://lossrun:lossrun@localhost:5432/bench_tracker (the default)
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://lossrun:lossrun@localhost:5432/bench_tracker")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["CELERY_BROKER_URL"] = "memory://"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

if connection.vendor != "postgresql":
    sys.exit("The tracker benchmarks run on PostgreSQL: set DATABASE_URL.")
call_command("migrate", verbosity=0)  # every app: the models the sweep reads have moved on
