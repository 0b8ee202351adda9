"""The message a row becomes (outbox.delivery.build_message), field by field."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from outbox.delivery import DeliveryError, build_message, email_deliver
from outbox.services import email_queue
from outbox.types import Attachment


def queue(**kwargs):
    fields = {
        "kind": "test.note",
        "to": ["a@example.test"],
        "subject": "Hello",
        "template": "accounts/invitation",
        "context": {"agency": None, "invitation": None, "accept_url": "http://x/"},
    }
    return email_queue(**(fields | kwargs))


def test_the_message_carries_every_field_of_the_row(db):
    stored = default_storage.save("scans/p.bin", ContentFile(b"\x89PNG data"))
    email = queue(
        attachments=[Attachment(stored, "Proof of carrier.bin", "image/png")],
        cc=["c@example.test"],
        reply_to=["r@example.test"],
        headers={"X-Tracker-Notice": "7"},
        from_email="Desk <desk@example.test>",
    )
    email.html_body = "<p>Hi</p>"
    message = build_message(email)
    assert message.subject == "Hello" and message.body == email.text_body != ""
    assert message.from_email == "Desk <desk@example.test>"
    assert message.to == ["a@example.test"] and message.cc == ["c@example.test"]
    assert message.reply_to == ["r@example.test"]
    assert message.extra_headers == {"X-Tracker-Notice": "7", "Message-ID": email.message_id}
    assert message.alternatives[0][:2] == ("<p>Hi</p>", "text/html")
    # The stored content type, not one guessed from the file name; the bytes as stored.
    assert message.attachments == [("Proof of carrier.bin", b"\x89PNG data", "image/png")]


def test_without_its_own_sender_the_message_comes_from_the_default(db, settings):
    settings.DEFAULT_FROM_EMAIL = "Tracker <noreply@example.test>"
    message = build_message(queue())
    assert message.from_email == "Tracker <noreply@example.test>"


def test_a_refusing_server_is_an_error_not_silence(db):
    """Sending is never fail_silently: a refused message is a failed row, not a sent one."""
    email = queue()
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPDataError(554, b"refused"),
        ),
        pytest.raises(DeliveryError),
    ):
        email_deliver(email_id=email.pk)
    assert mail.outbox == []
