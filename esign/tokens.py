"""Signing-link tokens: a signed (HMAC, SECRET_KEY) pair of the row's id and its random nonce.

The signature makes a token unforgeable and any edit (another id, another nonce) detectable
before the database is read; the 256-bit nonce makes it unguessable even by someone who
knows the ids. Expiry, single use and revocation are the row's state, checked on every use.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from django.core import signing

SALT = "esign.signature-link"


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def make_token(*, signature_id: int, nonce: str) -> str:
    return signing.Signer(salt=SALT).sign_object({"i": signature_id, "n": nonce})


@dataclass(frozen=True)
class TokenClaims:
    signature_id: int
    nonce: str

    def matches(self, nonce: str) -> bool:
        return hmac.compare_digest(self.nonce.encode(), nonce.encode())


def parse_token(token: str) -> TokenClaims | None:
    """The token's claims, or None when it is malformed or its signature does not verify."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    if not isinstance(data, dict):
        return None
    signature_id, nonce = data.get("i"), data.get("n")
    if not isinstance(signature_id, int) or not isinstance(nonce, str):
        return None
    return TokenClaims(signature_id, nonce)
