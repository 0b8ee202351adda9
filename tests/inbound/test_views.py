"""The request page's "Carrier replies": the alerts, the list, undo "received", mark handled."""

import pytest
from django.urls import reverse

from config.dates import human_date
from inbound.models import InboundMessage
from inbound.services import inbound_receive
from tests.factories import LossRunRequestFactory
from tests.inbound.mail import PDF, attachment, reply
from vault.addresses import request_reply_address

HTMX = {"HTTP_HX_REQUEST": "true"}


def _receive(req, **kwargs):
    return inbound_receive(
        message=reply(to=request_reply_address(req.pk), **kwargs), esp="t"
    ).message


def _with_pdf(req):
    return _receive(req, attachments=[attachment(PDF, "lr.pdf", "application/pdf")])


@pytest.mark.django_db
def test_the_request_page_loads_the_replies_and_their_alerts(owner_client, req):
    page = owner_client.get(reverse("vault:request_edit", kwargs={"request_id": req.pk}))
    url = reverse("inbound:request_replies", kwargs={"request_id": req.pk})
    html = page.content.decode()
    assert f'hx-get="{url}?part=alerts"' in html and f'hx-get="{url}"' in html


@pytest.mark.django_db
def test_the_list_shows_from_subject_text_time_and_the_filed_document(owner_client, req):
    row = _with_pdf(req)
    url = reverse("inbound:request_replies", kwargs={"request_id": req.pk})
    html = owner_client.get(url, **HTMX).content.decode()
    assert "lossruns@carrier.test" in html and row.subject in html
    assert "Please find the loss runs attached." in html and "lr.pdf" in html
    assert "Undo “received”" in html
    assert human_date(row.sent_at.astimezone(req.agency.tz).date()) in html


@pytest.mark.django_db
def test_a_reply_without_loss_runs_shows_needs_attention_until_acknowledged(owner_client, req):
    row = _receive(req, text="We need our own form.")
    url = reverse("inbound:request_replies", kwargs={"request_id": req.pk}) + "?part=alerts"
    assert "Carrier replied: needs attention" in owner_client.get(url, **HTMX).content.decode()
    response = owner_client.post(
        reverse("inbound:reply_acknowledge", kwargs={"message_id": row.pk})
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert not row.needs_attention and row.acknowledged_by is not None
    assert "needs attention" not in owner_client.get(url, **HTMX).content.decode()


@pytest.mark.django_db
def test_undo_received_reopens_the_request_and_its_tracker(owner_client, req):
    req.first_request_on = req.created_at.astimezone(req.agency.tz).date()
    req.save()
    row = _with_pdf(req)
    req.refresh_from_db()
    assert req.received_on is not None and req.next_due_at is None
    response = owner_client.post(
        reverse("inbound:reply_undo_received", kwargs={"message_id": row.pk})
    )
    assert response.status_code == 302
    assert response.url.endswith(f"/vault/requests/{req.pk}/edit/#replies-h")
    req.refresh_from_db()
    row.refresh_from_db()
    assert req.received_on is None and req.next_due_at is not None
    assert row.received_undone_at is not None and row.needs_attention
    assert row.documents.get().kind == "other"
    history = owner_client.get(reverse("vault:request_edit", kwargs={"request_id": req.pk}))
    assert "Undid received" in history.content.decode()


@pytest.mark.django_db
def test_undo_refuses_when_the_date_was_changed_since(owner_client, req):
    row = _with_pdf(req)
    req.refresh_from_db()
    req.received_on = (
        req.received_on.replace(day=1) if req.received_on.day != 1 else req.received_on
    )
    req.received_on = None
    req.save()
    response = owner_client.post(
        reverse("inbound:reply_undo_received", kwargs={"message_id": row.pk}), follow=True
    )
    assert "The received date was changed since" in response.content.decode()
    row.refresh_from_db()
    assert row.received_undone_at is None


@pytest.mark.django_db
def test_undo_of_a_reply_that_did_not_mark_received_is_refused(owner_client, req):
    row = _receive(req, text="question")
    response = owner_client.post(
        reverse("inbound:reply_undo_received", kwargs={"message_id": row.pk}), follow=True
    )
    assert "did not mark the request received" in response.content.decode()


@pytest.mark.django_db
def test_undo_and_acknowledge_need_post(owner_client, req):
    row = _with_pdf(req)
    for name in ("inbound:reply_undo_received", "inbound:reply_acknowledge"):
        assert owner_client.get(reverse(name, kwargs={"message_id": row.pk})).status_code == 405


@pytest.mark.django_db
def test_another_agencys_reply_cannot_be_undone(owner_client, other_agency):
    theirs = LossRunRequestFactory(agency=other_agency)
    row = _with_pdf(theirs)
    response = owner_client.post(
        reverse("inbound:reply_undo_received", kwargs={"message_id": row.pk})
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.received_on is not None
    row.refresh_from_db()
    assert row.received_undone_at is None


@pytest.mark.django_db
def test_a_bounced_send_shows_not_delivered_on_both_pages(owner_client, sent):
    inbound_receive(
        message=reply(
            to="tracker@localhost",
            from_email="MAILER-DAEMON@mx.test",
            subject="Undeliverable: Loss run request",
            text=f"Message-ID: {sent.email.message_id}",
        ),
        esp="t",
    )
    alerts = owner_client.get(
        reverse("inbound:request_replies", kwargs={"request_id": sent.request_id}) + "?part=alerts",
        **HTMX,
    ).content.decode()
    assert "Not delivered:" in alerts and sent.to in alerts
    send_page = owner_client.get(
        reverse("dispatch:request_send", kwargs={"request_id": sent.request_id})
    )
    assert "Not delivered" in send_page.content.decode()


@pytest.mark.django_db
def test_the_replies_list_has_a_fixed_number_of_queries(
    owner_client, req, django_assert_max_num_queries
):
    for _ in range(3):
        _with_pdf(req)
        _receive(req, text="more")
    url = reverse("inbound:request_replies", kwargs={"request_id": req.pk})
    with django_assert_max_num_queries(12):
        assert owner_client.get(url, **HTMX).status_code == 200
    InboundMessage.objects.update(needs_attention=True)
    with django_assert_max_num_queries(12):
        owner_client.get(url)
