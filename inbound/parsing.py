"""What a received message is, read from its headers and parts (pure: no query).

Auto-replies are recognised by the standard header (RFC 3834 Auto-Submitted) and by the
headers and subjects of the common out-of-office responders; bounces by their MIME type
(RFC 3464 delivery-status report) or their sender (MAILER-DAEMON, postmaster). A bounce
carries the headers of the message that failed: its Message-ID names our e-mail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import getaddresses

from anymail.inbound import AnymailInboundMessage
from django.utils import timezone

MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")
AUTO_SUBJECT_RE = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response)|out of (the )?office|abwesenheit|"
    r"absence|autoreply|vacation)\b",
    re.IGNORECASE,
)
BOUNCE_SENDER_RE = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)
BOUNCE_SUBJECT_RE = re.compile(
    r"(undeliverable|undelivered mail|delivery status notification \(failure\)|"
    r"mail delivery (failed|failure)|returned mail|failure notice)",
    re.IGNORECASE,
)
TEXT_MAX = 20_000  # what the request's page keeps of a long text body


@dataclass(frozen=True)
class Part:
    """One attachment of the message: filed as a document, or skipped with the reason."""

    filename: str
    content_type: str
    content: bytes
    inline_image: bool


def content_sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def raw_bytes(message: AnymailInboundMessage) -> bytes:
    """The message as bytes; one whose headers the strict generator refuses (a raw 8-bit
    header from a careless mailer) is written out as it was read."""
    try:
        return message.as_bytes()
    except (UnicodeError, ValueError, LookupError):
        return message.as_string(policy=message.policy.clone(utf8=True)).encode(
            "utf-8", "surrogateescape"
        )


def sender(message: AnymailInboundMessage) -> tuple[str, str]:
    """(the From header as written, its address in lower case); empty when unreadable."""
    try:
        address = message.from_email
    except (TypeError, ValueError, IndexError):
        address = None
    if address is None:
        return " ".join(str(message.get("From", "") or "").split()), ""
    return address.address, address.addr_spec.lower()


def message_id(message: AnymailInboundMessage) -> str:
    found = MESSAGE_ID_RE.search(str(message.get("Message-ID", "") or ""))
    return found.group(0)[:300] if found else ""


def referenced_ids(message: AnymailInboundMessage) -> list[str]:
    """Message-IDs the message answers (In-Reply-To first, then References, newest first)."""
    ids = MESSAGE_ID_RE.findall(str(message.get("In-Reply-To", "") or ""))
    refs = MESSAGE_ID_RE.findall(" ".join(str(v) for v in message.get_all("References") or []))
    return list(dict.fromkeys(ids + refs[::-1]))


def recipients(message: AnymailInboundMessage) -> list[str]:
    """Every address the message was delivered to: headers and the envelope."""
    values: list[str] = []
    for header in ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"):
        values += [str(v) for v in message.get_all(header) or []]
    if message.envelope_recipient:
        values.append(message.envelope_recipient)
    return list(dict.fromkeys(addr.strip().lower() for _n, addr in getaddresses(values) if addr))


def is_bounce(message: AnymailInboundMessage) -> bool:
    if message.get_content_type() == "multipart/report":
        report = (message.get_param("report-type") or "").lower()
        if report == "delivery-status":
            return True
    subject = str(message.get("Subject", "") or "")
    return bool(BOUNCE_SENDER_RE.match(sender(message)[1]) and BOUNCE_SUBJECT_RE.search(subject))


def is_auto_reply(message: AnymailInboundMessage) -> bool:
    auto = str(message.get("Auto-Submitted", "") or "").strip().lower()
    if auto and auto != "no":
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    if str(message.get("X-Auto-Response-Suppress", "")).lower() in {"all", "oof"} and (
        AUTO_SUBJECT_RE.search(str(message.get("Subject", "") or ""))
    ):
        return True
    precedence = str(message.get("Precedence", "") or "").strip().lower()
    if precedence in {"auto_reply", "bulk", "junk"}:
        return True
    return bool(AUTO_SUBJECT_RE.search(str(message.get("Subject", "") or "")))


def bounced_message_ids(message: AnymailInboundMessage) -> list[str]:
    """The Message-ID(s) of the failed message a bounce returns (its attached copy or headers)."""
    found: list[str] = []
    for part in message.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            for inner in part.get_payload():
                found += MESSAGE_ID_RE.findall(str(inner.get("Message-ID", "") or ""))
        elif ctype == "text/rfc822-headers":
            text = part.get_content_text(errors="replace") or ""
            found += re.findall(r"(?im)^message-id:\s*(<[^<>\s]+>)", text)
    if not found:  # a plain-text bounce quoting the original headers
        found = re.findall(r"(?im)^\s*message-id:\s*(<[^<>\s]+>)", message.text or "")
    return list(dict.fromkeys(found))


def bounce_reason(message: AnymailInboundMessage) -> str:
    """The failure as the reporting server put it (the Diagnostic-Code, else the subject)."""
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in part.get_payload() or []:
            value = block.get("Diagnostic-Code") or block.get("Status")
            if value:
                return " ".join(str(value).split())[:300]
    return str(message.get("Subject", "") or "Delivery failed")[:300]


def message_date(message: AnymailInboundMessage, now: dt.datetime | None = None) -> dt.datetime:
    """The Date header, never later than now (a sender's clock ahead), else now."""
    now = now or timezone.now()
    try:
        date = message.date
    except (TypeError, ValueError):
        date = None
    if date is None or date.tzinfo is None:
        return now
    return min(date, now)


def _is_body(part: AnymailInboundMessage) -> bool:
    return part.get_content_type() in ("text/plain", "text/html") and not part.get_filename()


def _leaves(part: AnymailInboundMessage) -> Iterator[AnymailInboundMessage]:
    """The message's leaf parts, not descending into an attached message (a forwarded or
    returned e-mail's own attachments are that e-mail's, not this one's)."""
    if part.get_content_maintype() == "message":
        return
    if part.is_multipart():
        for child in part.get_payload():
            yield from _leaves(child)
        return
    yield part


def attachment_parts(message: AnymailInboundMessage) -> list[Part]:
    """Every file the message carries. Images shown inside the text (inline, or referenced
    by Content-ID: logos, signatures) are marked so they are not filed as documents."""
    parts: list[Part] = []
    for part in _leaves(message):
        if _is_body(part):
            continue
        disposition = part.get_content_disposition()
        if disposition is None and not part.get_filename():
            continue
        ctype = part.get_content_type()
        inline_image = ctype.startswith("image/") and (
            disposition == "inline" or part.get("Content-ID") is not None
        )
        parts.append(
            Part(
                filename=part.get_filename() or "attachment",
                content_type=ctype,
                content=part.get_content_bytes() or b"",
                inline_image=inline_image,
            )
        )
    return parts


def text_of(message: AnymailInboundMessage) -> str:
    text = message.stripped_text or message.text
    if not text and message.html:
        text = re.sub(r"<[^>]+>", " ", message.html)
        text = re.sub(r"[ \t]+", " ", text)
    return (text or "").strip()[:TEXT_MAX]
