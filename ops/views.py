"""/metrics for Prometheus: never public.

With METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`. Without it,
only clients in METRICS_ALLOWED_NETWORKS (by the connection's address, REMOTE_ADDR) are
served, which is empty, so the endpoint is off, in production unless configured. Anyone
else gets a 404, as if there were no such page.
"""

from __future__ import annotations

import ipaddress
import secrets

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from ops.metrics import exposition


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and secrets.compare_digest(given.strip(), token)
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(net, strict=False)
        for net in settings.METRICS_ALLOWED_NETWORKS
    )


@never_cache
@require_GET
def metrics(request):
    if not _allowed(request):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
