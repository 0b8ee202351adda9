"""Reading a received message (pure): auto-replies, bounces, the ids it answers, its files."""

import pytest
from anymail.inbound import AnymailInboundMessage

from inbound import parsing
from tests.inbound.mail import PDF, PNG, attachment, eml, reply


@pytest.mark.parametrize(
    "headers,subject",
    [
        ({"Auto-Submitted": "auto-replied"}, "Re: Loss run request"),
        ({"X-Autoreply": "yes"}, "Re: Loss run request"),
        ({"Precedence": "auto_reply"}, "Re: Loss run request"),
        ({}, "Out of Office: Loss run request"),
        ({}, "Automatic reply: Loss run request"),
    ],
)
def test_auto_replies_are_recognised(headers, subject):
    assert parsing.is_auto_reply(reply(to="a@b.test", subject=subject, headers=headers))


@pytest.mark.parametrize(
    "headers,subject",
    [({"Auto-Submitted": "no"}, "Re: Loss run request"), ({}, "Re: our office hours")],
)
def test_a_person_replying_is_not_an_auto_reply(headers, subject):
    assert not parsing.is_auto_reply(reply(to="a@b.test", subject=subject, headers=headers))


def test_a_delivery_status_report_is_a_bounce_and_names_the_failed_message():
    raw = eml(
        "bounce.eml",
        to="x@y.test",
        date="Mon, 30 Nov 2026 10:00:00 -0500",
        carrier_address="lr@carrier.test",
        original_id="<ours-1@platform.test>",
    )
    message = AnymailInboundMessage.parse_raw_mime_bytes(raw)
    assert parsing.is_bounce(message)
    assert parsing.bounced_message_ids(message) == ["<ours-1@platform.test>"]
    assert "550 5.1.1" in parsing.bounce_reason(message)


def test_a_carrier_reply_is_not_a_bounce():
    assert not parsing.is_bounce(reply(to="a@b.test", subject="Undeliverable: nothing"))


def test_in_reply_to_comes_before_references_newest_first():
    message = reply(
        to="a@b.test",
        headers={"In-Reply-To": "<c@x>", "References": "<a@x> <b@x> <c@x>"},
    )
    assert parsing.referenced_ids(message) == ["<c@x>", "<b@x>", "<a@x>"]


def test_inline_images_are_marked_and_files_in_forwarded_messages_are_not_ours():
    inner = reply(to="a@b.test", attachments=[attachment(PDF, "inner.pdf", "application/pdf")])
    forwarded = AnymailInboundMessage.construct_attachment("message/rfc822", inner.as_bytes())
    message = reply(
        to="a@b.test",
        attachments=[
            attachment(PNG, "logo.png", "image/png", content_id="<logo@x>"),
            attachment(PDF, "lr.pdf", "application/pdf"),
            forwarded,
        ],
    )
    parts = parsing.attachment_parts(message)
    assert [(p.filename, p.inline_image) for p in parts] == [
        ("logo.png", True),
        ("lr.pdf", False),
    ]
    assert parts[1].content == PDF


def test_a_raw_8bit_header_still_gives_bytes_to_hash():
    raw = b"From: Zo\xc3\xab <z@carrier.test>\r\nSubject: Caf\xc3\xa9 loss runs\r\n\r\nHi\r\n"
    message = AnymailInboundMessage.parse_raw_mime_bytes(raw)
    assert parsing.raw_bytes(message)
    assert parsing.sender(message)[1] == "z@carrier.test"


def test_a_date_in_the_future_is_taken_as_now():
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    message = reply(to="a@b.test", date=now + dt.timedelta(days=2))
    assert parsing.message_date(message, now) == now
