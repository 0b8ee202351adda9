"""What a routed message does: files, received, the agent's e-mail, auto-replies, bounces."""

import datetime as dt
import zoneinfo

import pytest

from inbound.models import InboundMessage
from inbound.services import inbound_receive
from outbox.models import Email
from tests.inbound.mail import CSV, PDF, PNG, attachment, reply, xlsx
from tests.outbox_mail import deliver_outbox
from tracker.models import Notification
from vault.addresses import request_reply_address
from vault.models import Document


def _receive(message):
    return inbound_receive(message=message, esp="test").message


def _agent_mail():
    return list(Email.objects.filter(kind="inbound.carrier_replied"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content,name,ctype,detected",
    [
        (PDF, "loss runs.pdf", "application/pdf", "application/pdf"),
        (CSV, "claims.csv", "text/csv", "text/csv"),
        (
            xlsx(),
            "claims.xlsx",
            "application/octet-stream",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_a_loss_run_attachment_files_it_and_marks_received(req, content, name, ctype, detected):
    row = _receive(
        reply(to=request_reply_address(req.pk), attachments=[attachment(content, name, ctype)])
    )
    [doc] = row.documents.all()
    assert doc.request == req and doc.agency == req.agency and doc.content_type == detected
    assert doc.kind == Document.Kind.LOSS_RUN and doc.original_name == name
    req.refresh_from_db()
    assert req.received_on == row.sent_at.astimezone(req.agency.tz).date()
    assert row.marked_received_on == req.received_on and not row.needs_attention
    assert req.next_due_at is None  # the tracker stopped


@pytest.mark.django_db
def test_the_received_date_is_the_message_date_in_the_agencys_time_zone(req, agency):
    agency.time_zone = "America/Los_Angeles"
    agency.save()
    # 02:30 UTC on the 1st is still the evening before in Los Angeles.
    now = dt.datetime.now(dt.UTC)
    date = dt.datetime.combine(now.date(), dt.time(2, 30), tzinfo=dt.UTC)
    if date > now:
        date -= dt.timedelta(days=1)
    req.created_at = date - dt.timedelta(days=3)
    req.save()
    _receive(
        reply(
            to=request_reply_address(req.pk),
            date=date,
            attachments=[attachment(PDF, "lr.pdf", "application/pdf")],
        )
    )
    req.refresh_from_db()
    assert req.received_on == date.astimezone(zoneinfo.ZoneInfo("America/Los_Angeles")).date()
    assert req.received_on == date.date() - dt.timedelta(days=1)


@pytest.mark.django_db
def test_received_stops_the_tracker_no_notice_at_any_later_sweep(req):
    from tracker.services import sweep
    from vault.scheduling import schedule_refresh

    req.first_request_on = req.created_at.astimezone(req.agency.tz).date()
    req.save()
    schedule_refresh(req)
    req.refresh_from_db()
    due = req.next_due_at
    assert due is not None
    _receive(
        reply(
            to=request_reply_address(req.pk),
            attachments=[attachment(PDF, "a.pdf", "application/pdf")],
        )
    )
    req.refresh_from_db()
    assert req.next_due_at is None
    sweep(now=due + dt.timedelta(days=30))
    assert not Notification.objects.filter(request=req).exclude(status="cancelled").exists()
    assert not Email.objects.filter(kind__startswith="tracker.").exists()


@pytest.mark.django_db
def test_the_agent_is_emailed_with_the_request_and_import_links(
    req, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        _receive(
            reply(
                to=request_reply_address(req.pk),
                attachments=[attachment(PDF, "lr.pdf", "application/pdf")],
            )
        )
    [email] = _agent_mail()
    assert email.to == [req.created_by.email] and email.agency == req.agency
    assert email.subject.startswith("Loss runs received:")
    assert f"https://app.example.com/vault/requests/{req.pk}/edit/" in email.text_body
    assert f"https://app.example.com/claims/insureds/{req.insured_id}/import/" in email.text_body
    [sent] = deliver_outbox()
    assert "Import the claims" in sent.alternatives[0][0]


@pytest.mark.django_db
def test_a_reply_without_attachment_needs_attention_and_is_not_received(req):
    row = _receive(
        reply(to=request_reply_address(req.pk), text="We need our own authorization form.")
    )
    req.refresh_from_db()
    assert req.received_on is None and row.needs_attention
    [email] = _agent_mail()
    assert email.subject.startswith("The carrier replied:")
    assert "needs attention" in email.text_body and "/import/" not in email.text_body


@pytest.mark.django_db
def test_inline_signature_images_are_not_filed(req):
    row = _receive(
        reply(
            to=request_reply_address(req.pk),
            attachments=[
                attachment(PNG, "image001.png", "image/png", content_id="<image001@x>"),
                attachment(PDF, "lr.pdf", "application/pdf"),
            ],
        )
    )
    assert [d.original_name for d in row.documents.all()] == ["lr.pdf"]
    assert row.skipped[0]["name"] == "image001.png" and "not filed" in row.skipped[0]["reason"]


@pytest.mark.django_db
def test_an_attached_image_is_filed_but_is_not_a_loss_run(req):
    row = _receive(
        reply(
            to=request_reply_address(req.pk), attachments=[attachment(PNG, "scan.png", "image/png")]
        )
    )
    [doc] = row.documents.all()
    assert doc.kind == Document.Kind.OTHER
    req.refresh_from_db()
    assert req.received_on is None and row.needs_attention


@pytest.mark.django_db
def test_a_wrong_type_attachment_is_refused_by_content_whatever_its_name(req):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    row = _receive(
        reply(
            to=request_reply_address(req.pk),
            attachments=[attachment(exe, "loss runs.pdf", "application/pdf")],
        )
    )
    assert not row.documents.exists()
    assert row.skipped[0]["name"] == "loss runs.pdf" and "not accepted" in row.skipped[0]["reason"]
    req.refresh_from_db()
    assert req.received_on is None and row.needs_attention
    assert "Not filed: loss runs.pdf" in _agent_mail()[0].text_body


@pytest.mark.django_db
def test_an_oversized_attachment_is_refused_and_the_rest_filed(req, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    big = PDF + b"%" + b"x" * 2048
    row = _receive(
        reply(
            to=request_reply_address(req.pk),
            attachments=[
                attachment(big, "big.pdf", "application/pdf"),
                attachment(CSV, "c.csv", "text/csv"),
            ],
        )
    )
    assert [d.original_name for d in row.documents.all()] == ["c.csv"]
    assert "largest accepted upload is 1 KB" in row.skipped[0]["reason"]
    req.refresh_from_db()
    assert req.received_on is not None  # the CSV is a loss run


@pytest.mark.django_db
def test_an_auto_reply_is_recorded_and_changes_nothing(req):
    row = _receive(
        reply(
            to=request_reply_address(req.pk),
            subject="Out of Office: Loss run request",
            headers={"Auto-Submitted": "auto-replied"},
            attachments=[attachment(PDF, "flyer.pdf", "application/pdf")],
        )
    )
    assert row.kind == InboundMessage.Kind.AUTO_REPLY and row.request == req
    assert not row.documents.exists() and not row.needs_attention
    req.refresh_from_db()
    assert req.received_on is None and not _agent_mail()


@pytest.mark.django_db
def test_a_bounce_of_our_carrier_email_marks_that_send_not_delivered(sent):
    bounce = reply(
        to="tracker@localhost",
        from_email="MAILER-DAEMON@mx.test",
        subject="Undelivered Mail Returned to Sender",
        text=f"Your message could not be delivered.\n\nMessage-ID: {sent.email.message_id}\n",
    )
    row = _receive(bounce)
    assert row.kind == InboundMessage.Kind.BOUNCE and row.bounced_send == sent
    sent.refresh_from_db()
    assert sent.not_delivered_at is not None and sent.delivery_error
    req = sent.request
    req.refresh_from_db()
    assert req.received_on is None and not _agent_mail()


@pytest.mark.django_db
def test_the_same_message_twice_has_the_effect_of_one(req):
    message = reply(
        to=request_reply_address(req.pk), attachments=[attachment(PDF, "lr.pdf", "application/pdf")]
    )
    first = inbound_receive(message=message, esp="test")
    again = inbound_receive(message=message, esp="test")
    assert not first.duplicate and again.duplicate and again.message == first.message
    assert InboundMessage.objects.count() == 1
    assert Document.objects.filter(request=req, kind="loss_run").count() == 1
    assert len(_agent_mail()) == 1


@pytest.mark.django_db
def test_the_same_message_id_with_other_content_is_one_message(req):
    to = request_reply_address(req.pk)
    inbound_receive(
        message=reply(to=to, message_id="<same@carrier.test>", text="a"), esp="postmark"
    )
    again = inbound_receive(
        message=reply(to=to, message_id="<same@carrier.test>", text="b"), esp="mailgun"
    )
    assert again.duplicate and InboundMessage.objects.count() == 1


@pytest.mark.django_db
def test_the_same_content_without_message_id_is_one_message(req):
    message = reply(to=request_reply_address(req.pk), text="no id")
    del message["Message-ID"]
    inbound_receive(message=message, esp="test")
    assert inbound_receive(message=message, esp="test").duplicate
    assert InboundMessage.objects.count() == 1


@pytest.mark.django_db
def test_a_reply_after_received_files_it_without_changing_the_date(req):
    to = request_reply_address(req.pk)
    _receive(reply(to=to, attachments=[attachment(PDF, "a.pdf", "application/pdf")]))
    req.refresh_from_db()
    first_date = req.received_on
    row = _receive(reply(to=to, attachments=[attachment(CSV, "b.csv", "text/csv")]))
    req.refresh_from_db()
    assert req.received_on == first_date and row.marked_received_on is None
    assert not row.needs_attention and row.documents.count() == 1
