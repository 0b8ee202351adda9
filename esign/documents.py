"""The letter the signer sees, and the signed record: letter + signature + certificate.

The letter is frozen when the link is sent: its HTML with a slot where the signature block
goes. The PDF shown is that HTML with the empty block; the signed PDF is the same HTML with
the filled-in block, followed by a certificate page. So the signed letter differs from the
one shown in the signature block only, and both SHA-256 values are on the certificate.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass

from django.template.loader import render_to_string

from config.dates import human_date
from vault.letters import authorization_letter_html, html_document, signature_block_html
from vault.models import LossRunRequest

SIGNATURE_SLOT = "<!--esign:signature-block-->"


class LetterNotFreezable(RuntimeError):
    """The letter template no longer holds its signature block exactly once."""


@dataclass(frozen=True)
class FrozenLetter:
    html_with_slot: str
    unsigned_block: str
    pdf: bytes
    sha256: str


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def letter_freeze(*, request: LossRunRequest) -> FrozenLetter:
    html = authorization_letter_html(request=request)
    block = signature_block_html(request=request, signature=None)
    if html.count(block) != 1:
        raise LetterNotFreezable("The authorization letter's signature block was not found.")
    pdf = html_document(html).write_pdf()
    return FrozenLetter(html.replace(block, SIGNATURE_SLOT), block, pdf, sha256_hex(pdf))


def letter_body_html(html_with_slot: str, block: str) -> str:
    """The letter's body for the signing page (the page's own stylesheet styles it)."""
    html = html_with_slot.replace(SIGNATURE_SLOT, block)
    start, end = html.find("<body>"), html.rfind("</body>")
    return html[start + len("<body>") : end] if start != -1 and end != -1 else html


@dataclass(frozen=True)
class CertificateFacts:
    agency_name: str
    insured_name: str
    carrier_name: str
    signer_name: str
    signer_title: str
    signer_email: str
    signature_kind: str
    ip: str
    user_agent: str
    times: list[tuple[str, dt.datetime | None]]
    tz_name: str
    shown_sha256: str
    request_id: int
    signature_id: int


def _block_signature(*, name: str, title: str, date: dt.date, png: bytes | None, typed: str):
    image = f"data:image/png;base64,{base64.b64encode(png).decode()}" if png else ""
    return {"image_url": image, "typed": typed, "name": name, "title": title, "date": date}


def _both_clocks(value: dt.datetime | None, tz) -> tuple[str, str]:
    """The moment on the agency's clock and in UTC, formatted here (a template would show
    both on the active time zone's clock)."""
    if value is None:
        return "—", "—"
    local, utc = value.astimezone(tz), value.astimezone(dt.UTC)
    return f"{human_date(local)}, {local:%I:%M:%S %p %Z}", f"{utc:%Y-%m-%d %H:%M:%S} UTC"


def signed_pdf(
    *,
    request: LossRunRequest,
    html_with_slot: str,
    facts: CertificateFacts,
    signed_on: dt.date,
    png: bytes | None,
    typed: str,
    tz,
) -> tuple[bytes, str]:
    """(the final PDF, SHA-256 of its signed-letter pages rendered alone)."""
    signature = _block_signature(
        name=facts.signer_name, title=facts.signer_title, date=signed_on, png=png, typed=typed
    )
    block = signature_block_html(request=request, signature=signature)
    letter = html_document(html_with_slot.replace(SIGNATURE_SLOT, block), allow_data_urls=True)
    letter_doc = letter.render()
    letter_sha = sha256_hex(letter_doc.write_pdf())
    times = [(label, *_both_clocks(value, tz)) for label, value in facts.times]
    cert_html = render_to_string(
        "esign/certificate.html", {"facts": facts, "times": times, "letter_sha256": letter_sha}
    )
    cert_doc = html_document(cert_html).render()
    final = letter_doc.copy(letter_doc.pages + cert_doc.pages).write_pdf()
    return final, letter_sha
