"""Who is signing in and from where: the keys that sign-in lockout and rate limits count by.

django-axes and django-ratelimit both call these (settings AXES_USERNAME_CALLABLE,
AXES_CLIENT_IP_CALLABLE, RATELIMIT_IP_META_KEY), so every counter agrees on one person and
one client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from accounts.models import canonical_email

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def sign_in_username(request: HttpRequest, credentials: dict | None) -> str:
    """The e-mail a sign-in attempt is counted under: `Newb@…` and `newb@…` share one counter."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = (credentials or {}).get(field)
    if raw is None:
        raw = request.POST.get(field, "")
    return canonical_email(str(raw))


def _trusted_proxies() -> list[IpNetwork]:
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent the request.

    X-Forwarded-For is believed only when the request came from a trusted proxy
    (settings.TRUSTED_PROXIES), and then only from its right end: each trusted proxy appends
    the address it received the request from, so the first address from the right that is
    not one of our proxies is the client's. Anything further left was written by the client
    and is ignored. Directly (no trusted proxy) the header is ignored and REMOTE_ADDR counts.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = _trusted_proxies()
    peer = _address(remote)
    if peer is None or not any(peer in network for network in proxies):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote
        if not any(address in network for network in proxies):
            return str(address)
    return remote
