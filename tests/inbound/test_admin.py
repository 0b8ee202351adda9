"""The help desk's triage queue in the admin: confirm the proposal, correct it, dismiss;
a refused (forged) message can never be attached."""

import pytest
from django.urls import reverse

from inbound.models import InboundMessage
from inbound.services import inbound_receive
from tests.factories import LossRunRequestFactory, StaffFactory
from tests.inbound.mail import PDF, attachment, reply

Status = InboundMessage.Status


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def _triaged(subject="Loss runs, policy GL-1"):
    message = reply(
        to="lossruns@in.example.com",
        subject=subject,
        attachments=[attachment(PDF, "lr.pdf", "application/pdf")],
    )
    return inbound_receive(message=message, esp="t").message


@pytest.mark.django_db
def test_the_queue_lists_the_triaged_message_with_its_proposal(staff_client, req):
    row = _triaged()
    page = staff_client.get(reverse("admin:inbound_inboundmessage_changelist") + "?status=triage")
    html = page.content.decode()
    assert page.status_code == 200 and row.subject in html and str(req.insured) in html


@pytest.mark.django_db
def test_confirming_the_proposal_attaches_it_and_acts(staff_client, req):
    row = _triaged()
    response = staff_client.post(
        reverse("admin:inbound_inboundmessage_changelist"),
        {"action": "attach_to_proposed", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Status.ATTACHED and row.request == req and row.routed_by == "staff"
    assert row.agency == req.agency
    req.refresh_from_db()
    assert req.received_on is not None and row.documents.get().request == req


@pytest.mark.django_db
def test_staff_correct_the_proposal_on_the_change_form(staff_client, req, agency):
    right = LossRunRequestFactory(agency=agency)
    row = _triaged()
    url = reverse("admin:inbound_inboundmessage_change", args=[row.pk])
    form = staff_client.get(url).content.decode()
    assert f'value="{req.pk}"' in form  # the proposal is the initial choice
    response = staff_client.post(url, {"attach_to": right.pk})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.request == right
    req.refresh_from_db()
    right.refresh_from_db()
    assert req.received_on is None and right.received_on is not None


@pytest.mark.django_db
def test_a_forged_message_cannot_be_attached(staff_client, req):
    forged = f"lossruns+r{req.pk}.{'0' * 24}@in.example.com"
    row = inbound_receive(message=reply(to=forged), esp="t").message
    assert row.status == Status.REFUSED
    staff_client.post(
        reverse("admin:inbound_inboundmessage_changelist"),
        {"action": "attach_to_proposed", "_selected_action": [row.pk]},
    )
    url = reverse("admin:inbound_inboundmessage_change", args=[row.pk])
    staff_client.post(url, {"attach_to": req.pk})
    row.refresh_from_db()
    assert row.status == Status.REFUSED and row.request is None
    req.refresh_from_db()
    assert req.received_on is None


@pytest.mark.django_db
def test_dismissing_takes_it_out_of_the_queue(staff_client, req):
    row = _triaged(subject="Buy cheap watches")
    staff_client.post(
        reverse("admin:inbound_inboundmessage_changelist"),
        {"action": "dismiss", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert row.status == Status.DISMISSED and row.request is None


@pytest.mark.django_db
def test_the_queue_has_four_wrapping_columns_and_a_bounded_query_count(
    staff_client, req, django_assert_max_num_queries
):
    """Subject over sender, status over kind, the request (or the proposal) over its agency:
    four columns that fit 1366 px beside the admin's navigation and filters."""
    url = reverse("admin:inbound_inboundmessage_changelist")
    row = _triaged()
    with django_assert_max_num_queries(10):
        response = staff_client.get(url)
    html = response.content.decode()
    assert response.context["cl"].list_display == [
        "action_checkbox", "message", "status_kind", "belongs_to", "received"
    ]  # fmt: skip
    assert f'{row.subject}<span class="hd-line2">{row.from_address}</span>' in html.replace(
        "&lt;", "<"
    ).replace("&gt;", ">")
    assert 'Needs triage<span class="hd-line2">Reply</span>' in html
    assert f'Proposed: {req}<span class="hd-line2">{req.agency}</span>' in html.replace(
        "&amp;", "&"
    )
    for n in range(4):
        _triaged(subject=f"Loss runs, policy GL-1 ({n})")
    with django_assert_max_num_queries(10):
        staff_client.get(url)
