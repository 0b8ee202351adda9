"""Building received messages for the inbound tests: anymail's constructor, small real files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from email.utils import format_datetime, make_msgid
from pathlib import Path

from anymail.inbound import AnymailInboundMessage
from django.utils import timezone

EML = Path(__file__).parent / "eml"
CARRIER = "Loss Run Department <lossruns@carrier.test>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40
CSV = b"Claim number,Date of loss,Paid\nC-1,2024-03-01,1200\nC-2,2024-07-09,0\n"


def xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def attachment(content: bytes, filename: str, content_type: str, *, content_id: str | None = None):
    return AnymailInboundMessage.construct_attachment(
        content_type, content, filename=filename, content_id=content_id
    )


def reply(
    *,
    to: str,
    subject: str = "RE: Loss run request",
    text: str = "Please find the loss runs attached.",
    attachments=(),
    headers: dict[str, str] | None = None,
    message_id: str | None = None,
    date: dt.datetime | None = None,
    from_email: str = CARRIER,
) -> AnymailInboundMessage:
    all_headers = {
        "Message-ID": message_id or make_msgid(domain="carrier.test"),
        "Date": format_datetime(date or timezone.now()),
        **(headers or {}),
    }
    return AnymailInboundMessage.construct(
        from_email=from_email,
        to=to,
        subject=subject,
        text=text,
        headers=all_headers,
        attachments=list(attachments),
    )


def eml(name: str, **values: str) -> bytes:
    """A raw .eml fixture with its {placeholders} (addresses, Message-IDs) filled in."""
    text = (EML / name).read_text()
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode()
