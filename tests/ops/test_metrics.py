"""/metrics: request latency by view and the product's gauges, never public."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import ImportJob
from ops import signals
from ops.metrics import NOTICE_SENT, SWEEP, task_metric_add
from tests.claims.factories import ImportJobFactory

pytestmark = pytest.mark.django_db


def scrape(client, **headers) -> str:
    response = client.get(reverse("metrics"), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_latency_by_view_after_a_request(owner_client):
    owner_client.get(reverse("vault:list"))
    text = scrape(owner_client)
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert 'view="vault:list"' in text


def test_not_public_without_the_token_or_from_outside(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get(reverse("metrics")).status_code == 404  # the test client is 127.0.0.1
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.1.2.3").status_code == 200
    settings.METRICS_TOKEN = "s3cret-token-value"
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.1.2.3").status_code == 404
    wrong = {"HTTP_AUTHORIZATION": "Bearer nope"}
    assert client.get(reverse("metrics"), **wrong).status_code == 404
    assert scrape(client, HTTP_AUTHORIZATION="Bearer s3cret-token-value")


def test_production_serves_nobody_unless_configured():
    from config.settings import base

    assert base.METRICS_TOKEN == "" and base.METRICS_ALLOWED_NETWORKS == []


def test_imports_running_sweeps_and_notices_per_milestone(client, agency):
    ImportJobFactory(agency=agency, status=ImportJob.Status.IMPORTING)
    ImportJobFactory(agency=agency, status=ImportJob.Status.DONE)
    task_metric_add(name=SWEEP, seconds=0.25)
    task_metric_add(name=SWEEP, seconds=0.75)
    task_metric_add(name=NOTICE_SENT, label="second_request_due")
    text = scrape(client)
    assert 'lossrun_imports_running{status="importing"} 1.0' in text
    assert 'lossrun_imports_running{status="reading"} 0.0' in text
    assert "lossrun_sweep_duration_seconds_count 2.0" in text
    assert "lossrun_sweep_duration_seconds_sum 1.0" in text
    assert "lossrun_sweep_last_duration_seconds 0.75" in text
    assert 'lossrun_notices_sent_total{milestone="second_request_due"} 1.0' in text


def test_workers_count_sweeps_and_sent_notices_by_milestone(agency, settings):
    """Through the Celery signals, as a worker runs the tasks (eager here)."""
    from outbox import tasks as outbox_tasks
    from outbox.services import email_queue
    from tracker import tasks

    tasks.sweep.delay()
    notice = email_queue(
        kind="tracker.first_request_reminder_day2", to=["a@agency.test"], subject="Day 2",
        template="accounts/invitation", context={}, agency=agency,
    )  # fmt: skip
    other = email_queue(
        kind="accounts.invitation", to=["b@agency.test"], subject="Join",
        template="accounts/invitation", context={}, agency=agency,
    )  # fmt: skip
    deliver = outbox_tasks.email_deliver
    signals._task_postrun(task_id="t1", task=deliver, args=(notice.pk,), retval="sent")
    signals._task_postrun(task_id="t2", task=deliver, args=(notice.pk,), retval="skipped")
    signals._task_postrun(task_id="t3", task=deliver, args=(other.pk,), retval="sent")
    from ops.models import TaskMetric

    rows = {(r.name, r.label): r.count for r in TaskMetric.objects.all()}
    assert rows == {(SWEEP, ""): 1, (NOTICE_SENT, "first_request_reminder_day2"): 1}


def test_outbox_gauges_count_the_outbox_by_status(client, agency):
    from outbox.models import Email

    now = timezone.now()
    for status, age in (("pending", 600), ("pending", 60), ("failed", 30), ("sent", 6000)):
        Email.objects.create(
            agency=agency, kind="tracker.second_request_due", to=["a@agency.test"],
            subject="s", text_body="t", status=status, message_id=f"<{status}{age}@test>",
            created_at=now - dt.timedelta(seconds=age),
        )  # fmt: skip
    text = scrape(client)
    assert 'lossrun_outbox_emails{status="pending"} 2.0' in text
    assert 'lossrun_outbox_emails{status="failed"} 1.0' in text
    age = float(text.split("\nlossrun_outbox_oldest_pending_age_seconds ")[1].split()[0])
    assert 600 <= age < 660
    health = client.get("/healthz", HTTP_HOST="testserver")
    assert health.json()["outbox"]["pending"] == 2
