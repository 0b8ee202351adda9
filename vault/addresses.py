"""E-mail addresses the product sends from and asks replies to.

`request_reply_address` gives each request its own Reply-To by plus-addressing the
configured inbound mailbox (INBOUND_EMAIL_ADDRESS): `lossruns+<token>@in.example.com`.
The token is the request's id and an HMAC of it (SECRET_KEY), so it cannot be guessed or
forged, and `parse_reply_address` finds the request from a reply's To address without a
look-up table. Both are lower case: some mail systems fold the local part's case.
"""

from __future__ import annotations

import hmac
import re
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.utils.crypto import salted_hmac

from accounts.models import Agency

_SALT = "vault.reply-address"
_MAC_CHARS = 24  # 96 bits of HMAC-SHA256
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_TOKEN_RE = re.compile(r"^r([0-9a-z]{1,13})\.([0-9a-f]{" + str(_MAC_CHARS) + r"})$")


def _b36(n: int) -> str:
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _B36[r] + out
        if n == 0:
            return out


def _mac(request_id: int) -> str:
    return salted_hmac(_SALT, str(request_id), algorithm="sha256").hexdigest()[:_MAC_CHARS]


def reply_token(request_id: int) -> str:
    return f"r{_b36(request_id)}.{_mac(request_id)}"


def _inbound_parts() -> tuple[str, str]:
    address = settings.INBOUND_EMAIL_ADDRESS
    local, _, domain = address.rpartition("@")
    if not local or not domain:
        raise ValueError(f"INBOUND_EMAIL_ADDRESS is not an address: {address!r}")
    return local.split("+", 1)[0], domain


def request_reply_address(request_id: int) -> str:
    local, domain = _inbound_parts()
    return f"{local}+{reply_token(request_id)}@{domain}"


def parse_reply_address(address: str) -> int | None:
    """The request id a `lossruns+<token>@domain` address names, or None when the address
    is not the inbound mailbox's, has no token, or the token does not verify."""
    _name, addr = parseaddr(address or "")
    local, _, domain = addr.strip().lower().rpartition("@")
    base, want_domain = _inbound_parts()
    if domain != want_domain.lower() or "+" not in local:
        return None
    prefix, token = local.split("+", 1)
    if prefix != base.lower():
        return None
    match = _TOKEN_RE.match(token)
    if not match:
        return None
    request_id = int(match.group(1), 36)
    if not hmac.compare_digest(match.group(2), _mac(request_id)):
        return None
    return request_id


def agency_sender(agency: Agency) -> str:
    """From: the agency's name on the platform's sending address (SPF/DKIM stay valid)."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((agency.name, address))
