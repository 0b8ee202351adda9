"""Structured logs: every line carries the request id and the agency id.

RequestContextMiddleware gives each request an id (the caller's X-Request-ID when it is a
plain token, else a new one), answers it in X-Request-ID and writes one access line per
request: method, path without the query string (searches hold insureds' names), view,
status and duration. Celery tasks log under their task id. The agency id is read from
the signed-in user only once authentication has loaded it, so logging adds no query.
Log messages carry ids, never insureds' names, claims or e-mail bodies.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

access_log = logging.getLogger("ops.access")
_request = contextvars.ContextVar("ops_request", default=None)
_request_id = contextvars.ContextVar("ops_request_id", default="-")
_task_agency = contextvars.ContextVar("ops_task_agency", default=None)
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_agency_id() -> int | None:
    request = _request.get()
    if request is None:
        return _task_agency.get()
    user = getattr(request, "_cached_user", None)  # set once AuthenticationMiddleware ran
    return getattr(user, "agency_id", None) if user is not None else None


class ContextFilter(logging.Filter):
    """Adds `request_id` and `agency_id` to every record (for the JSON formatter)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.agency_id = current_agency_id()
        return True


def task_started(task_id: str) -> None:
    _request_id.set(task_id or "-")
    _task_agency.set(None)


def task_finished() -> None:
    _request_id.set("-")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        tokens = (_request.set(request), _request_id.set(request_id))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            match = getattr(request, "resolver_match", None)
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "view": match.view_name if match else "",
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(tokens[1])
            _request.reset(tokens[0])
