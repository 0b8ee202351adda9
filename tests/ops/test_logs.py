"""Structured logs: JSON lines with the request id and agency id, and no search text."""

import datetime as dt
import io
import json
import logging

import pytest
from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

from ops.logs import ContextFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    from config.settings.base import LOGGING

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    spec = LOGGING["formatters"]["json"]
    assert spec["()"] == "pythonjsonlogger.json.JsonFormatter"
    handler.setFormatter(JsonFormatter(**{k: v for k, v in spec.items() if k != "()"}))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_every_line_has_request_and_agency_id_and_no_query_string(owner_client, owner, json_lines):
    response = owner_client.get(reverse("vault:list"), {"q": "Jane Q Insured"})
    logging.getLogger("vault").warning("after the request")
    lines = json_lines()
    access = [line for line in lines if line["logger"] == "ops.access"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["agency_id"] == owner.agency_id
    assert (line["path"], line["view"], line["status"]) == ("/vault/", "vault:list", 200)
    assert line["level"] == "INFO" and "duration_ms" in line
    logged_at = dt.datetime.fromisoformat(line["time"])  # ISO 8601 with its offset: UTC
    assert logged_at.utcoffset() == dt.timedelta(0)
    assert abs(logged_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert "Jane" not in json.dumps(lines)
    assert lines[-1]["request_id"] == "-" and lines[-1]["agency_id"] is None


def test_a_callers_request_id_is_kept_when_it_is_a_plain_token(client, json_lines):
    ok = client.get("/accounts/login/", HTTP_X_REQUEST_ID="edge-1234abcd")
    assert ok["X-Request-ID"] == "edge-1234abcd"
    forged = client.get("/accounts/login/", HTTP_X_REQUEST_ID="x\nfake log line")
    assert forged["X-Request-ID"] != "x\nfake log line" and len(forged["X-Request-ID"]) == 32
    assert [line["request_id"] for line in json_lines() if line["logger"] == "ops.access"] == [
        "edge-1234abcd",
        forged["X-Request-ID"],
    ]


def test_production_logs_are_json():
    import subprocess
    import sys

    code = (
        "import django, logging; django.setup(); from django.conf import settings; "
        "print(settings.LOGGING['handlers']['console']['formatter'], "
        "settings.CELERY_WORKER_HIJACK_ROOT_LOGGER)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "example.com",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["json", "False"]
