"""/healthz: 200 when the database and the Celery broker answer, 503 with the reason otherwise.

It also reports the outbox's backlog (e-mails pending and failed, the oldest pending one's
age) once the outbox app is installed: a backlog is worth seeing, not a reason to take a
web server out of rotation, so it never changes the status.
"""

from django.apps import apps
from django.db import connection
from django.db.models import Count, Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is a health failure
        return f"database: {exc.__class__.__name__}: {exc}"[:300]
    return None


def check_broker() -> str | None:
    from config.celery_app import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"broker: {exc.__class__.__name__}: {exc}"[:300]
    return None


def outbox_backlog() -> dict | None:
    """Pending and failed e-mails and the oldest pending one's age in seconds (None when
    nothing is pending), or None while the outbox app is not installed."""
    if not apps.is_installed("outbox"):
        return None
    email = apps.get_model("outbox", "Email")
    counts = dict(
        email.objects.filter(status__in=("pending", "failed"))
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    oldest = email.objects.filter(status="pending").aggregate(at=Min("created_at"))["at"]
    return {
        "pending": counts.get("pending", 0),
        "failed": counts.get("failed", 0),
        "oldest_pending_age_seconds": (
            round((timezone.now() - oldest).total_seconds(), 1) if oldest else None
        ),
    }


def report_outbox() -> dict | str | None:
    try:
        return outbox_backlog()
    except Exception as exc:  # noqa: BLE001 - reported, never a failed health check
        return f"unavailable: {exc.__class__.__name__}"


@never_cache
@require_GET
def healthz(request):
    problems = [p for p in (check_database(), check_broker()) if p]
    body: dict = {"status": "unavailable", "problems": problems} if problems else {"status": "ok"}
    if not problems and apps.is_installed("outbox"):
        body["outbox"] = report_outbox()
    return JsonResponse(body, status=503 if problems else 200)
