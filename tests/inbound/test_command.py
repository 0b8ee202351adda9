"""`manage.py ingest_email FILE.eml`: raw .eml files through the same service, and what it prints."""

from email.utils import format_datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from inbound.models import InboundMessage
from tests.inbound.mail import eml
from vault.addresses import request_reply_address


def _ingest(tmp_path, raw: bytes) -> str:
    path = tmp_path / "message.eml"
    path.write_bytes(raw)
    from io import StringIO

    out = StringIO()
    call_command("ingest_email", str(path), stdout=out)
    return out.getvalue()


def _now() -> str:
    return format_datetime(timezone.now())


@pytest.mark.django_db
def test_a_reply_with_loss_runs_is_filed_and_received(tmp_path, req):
    raw = eml(
        "reply_with_pdf.eml",
        to=request_reply_address(req.pk),
        date=_now(),
        in_reply_to="<x@y.test>",
    )
    out = _ingest(tmp_path, raw)
    assert f"Request {req.pk} of agency {req.agency_id}, matched by Reply-To token" in out
    assert "Filed Acme loss runs 2020-2025.pdf as Loss run" in out
    assert "Not filed: image001.png" in out  # the signature logo
    assert "Marked the request received on" in out
    assert "E-mailed the agent" in out
    req.refresh_from_db()
    assert req.received_on is not None
    assert req.documents.filter(kind="loss_run").count() == 1


@pytest.mark.django_db
def test_ingesting_the_same_file_twice_does_it_once(tmp_path, req):
    raw = eml("reply_with_pdf.eml", to=request_reply_address(req.pk), date=_now(), in_reply_to="")
    _ingest(tmp_path, raw)
    out = _ingest(tmp_path, raw)
    assert "Already received" in out and "nothing done" in out
    assert InboundMessage.objects.count() == 1
    assert req.documents.filter(kind="loss_run").count() == 1


@pytest.mark.django_db
def test_an_out_of_office_reply_is_recorded_and_changes_nothing(tmp_path, req):
    out = _ingest(tmp_path, eml("out_of_office.eml", to=request_reply_address(req.pk), date=_now()))
    assert "Kind: Auto-reply." in out and "nothing changed" in out
    row = InboundMessage.objects.get()
    assert row.request == req and row.kind == "auto_reply" and not row.needs_attention
    req.refresh_from_db()
    assert req.received_on is None


@pytest.mark.django_db
def test_a_bounce_of_the_first_request_marks_it_not_delivered(tmp_path, sent):
    raw = eml(
        "bounce.eml",
        to="tracker@localhost",
        date=_now(),
        carrier_address=sent.to,
        original_id=sent.email.message_id,
    )
    out = _ingest(tmp_path, raw)
    assert f"Marked the 1st request to {sent.to} not delivered" in out
    sent.refresh_from_db()
    assert sent.not_delivered_at is not None
    assert "550 5.1.1" in sent.delivery_error and "User unknown" in sent.delivery_error


@pytest.mark.django_db
def test_a_bounce_of_a_message_we_did_not_send_changes_nothing(tmp_path, sent):
    raw = eml(
        "bounce.eml",
        to="tracker@localhost",
        date=_now(),
        carrier_address=sent.to,
        original_id="<someone-else@elsewhere.test>",
    )
    out = _ingest(tmp_path, raw)
    assert "Status: No request found." in out
    sent.refresh_from_db()
    assert sent.not_delivered_at is None


@pytest.mark.django_db
def test_a_missing_or_empty_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("ingest_email", str(tmp_path / "nope.eml"))
    (tmp_path / "empty.eml").write_bytes(b"")
    with pytest.raises(CommandError, match="is empty"):
        call_command("ingest_email", str(tmp_path / "empty.eml"))
    assert not InboundMessage.objects.exists()
