"""The product's own Prometheus metrics, read at scrape time.

E-mails pending and failed and the age of the oldest pending one come from the outbox
(`outbox.Email`, looked up through the app registry; left out while that app is not
installed), imports running from claims, and sweep durations and notices sent per
milestone from ops.TaskMetric rows that the workers update (ops.signals). Request latency
by view comes from django-prometheus's middleware.
"""

from __future__ import annotations

import os

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    SummaryMetricFamily,
)

from config.health import outbox_backlog
from ops.models import TaskMetric

SWEEP = "sweep"
NOTICE_SENT = "notice_sent"


def task_metric_add(*, name: str, label: str = "", seconds: float = 0.0) -> None:
    """Count one piece of background work (and how long it took)."""
    with transaction.atomic():
        row, _ = TaskMetric.objects.get_or_create(name=name, label=label)
        TaskMetric.objects.filter(pk=row.pk).update(
            count=F("count") + 1,
            seconds_sum=F("seconds_sum") + seconds,
            last_seconds=seconds,
            updated_at=timezone.now(),
        )


def _outbox_families() -> list:
    backlog = outbox_backlog()
    if backlog is None:
        return []
    emails = GaugeMetricFamily(
        "lossrun_outbox_emails", "E-mails in the outbox by status", labels=["status"]
    )
    for status in ("pending", "failed"):
        emails.add_metric([status], backlog[status])
    age = GaugeMetricFamily(
        "lossrun_outbox_oldest_pending_age_seconds",
        "Age of the oldest pending e-mail (0 when none is pending)",
    )
    age.add_metric([], backlog["oldest_pending_age_seconds"] or 0.0)
    return [emails, age]


def _imports_family() -> GaugeMetricFamily:
    from claims.models import ImportJob

    running = GaugeMetricFamily(
        "lossrun_imports_running", "Claims imports being checked or imported", labels=["status"]
    )
    counts = dict(
        ImportJob.objects.filter(status__in=ImportJob.RUNNING)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for status in ImportJob.RUNNING:
        running.add_metric([status], counts.get(status, 0))
    return running


def _task_families() -> list:
    rows = {(r.name, r.label): r for r in TaskMetric.objects.all()}
    sweep = rows.get((SWEEP, ""))
    duration = SummaryMetricFamily(
        "lossrun_sweep_duration_seconds", "Tracker sweeps run and the time they took"
    )
    duration.add_metric([], sweep.count if sweep else 0, sweep.seconds_sum if sweep else 0.0)
    last = GaugeMetricFamily(
        "lossrun_sweep_last_duration_seconds", "How long the latest tracker sweep took"
    )
    last.add_metric([], sweep.last_seconds if sweep else 0.0)
    finished = GaugeMetricFamily(
        "lossrun_sweep_last_finished_timestamp_seconds", "When the latest sweep finished"
    )
    finished.add_metric([], sweep.updated_at.timestamp() if sweep else 0.0)
    sent = CounterMetricFamily(
        "lossrun_notices_sent", "Tracker notices sent, per milestone", labels=["milestone"]
    )
    for (name, label), row in sorted(rows.items()):
        if name == NOTICE_SENT:
            sent.add_metric([label], row.count)
    return [duration, last, finished, sent]


class ProductCollector:
    """A prometheus_client collector: queries the database each time it is scraped."""

    def collect(self):
        yield from _outbox_families()
        yield _imports_family()
        yield from _task_families()

    def describe(self):
        return []  # never collect at registration time (no database then)


def exposition() -> bytes:
    """The text exposition of this process's (or, under gunicorn with
    PROMETHEUS_MULTIPROC_DIR, every worker's) request metrics plus the product's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        process = CollectorRegistry()
        multiprocess.MultiProcessCollector(process)
    else:
        process = REGISTRY
    product = CollectorRegistry(auto_describe=False)
    product.register(ProductCollector())
    return generate_latest(process) + generate_latest(product)
