"""Which request a message lands on: only the token or our own Message-ID route by
themselves; weaker clues wait for the help desk; forged tokens and other agencies never."""

import pytest

from inbound.models import InboundMessage
from inbound.services import inbound_receive
from tests.factories import AgencyFactory, LossRunRequestFactory
from tests.inbound.mail import CSV, PDF, attachment, reply
from vault.addresses import reply_token, request_reply_address

Status = InboundMessage.Status


def _receive(message):
    return inbound_receive(message=message, esp="test").message


@pytest.mark.django_db
def test_the_reply_to_token_routes_to_its_request(req):
    row = _receive(reply(to=request_reply_address(req.pk)))
    assert row.status == Status.ATTACHED and row.routed_by == "token"
    assert row.request == req and row.agency == req.agency


@pytest.mark.django_db
def test_the_token_routes_whatever_the_case_of_the_address(req):
    row = _receive(reply(to=request_reply_address(req.pk).upper()))
    assert row.request == req


@pytest.mark.django_db
def test_in_reply_to_our_carrier_email_routes_without_a_token(sent):
    row = _receive(
        reply(to="lossruns@in.example.com", headers={"In-Reply-To": sent.email.message_id})
    )
    assert row.status == Status.ATTACHED and row.routed_by == "thread"
    assert row.request_id == sent.request_id


@pytest.mark.django_db
def test_references_to_our_carrier_email_route_too(sent):
    refs = f"<older@carrier.test> {sent.email.message_id} <newer@carrier.test>"
    row = _receive(reply(to="someone@carrier.test", headers={"References": refs}))
    assert row.request_id == sent.request_id and row.routed_by == "thread"


@pytest.mark.django_db
def test_in_reply_to_an_email_that_was_not_a_carrier_send_does_not_route(req):
    from outbox.services import email_queue

    notice = email_queue(
        kind="test",
        to=["agent@agency.test"],
        subject="x",
        template="dispatch/first_request",
        context={
            "req": req,
            "agency": req.agency,
            "insured": req.insured,
            "carrier": req.carrier,
            "policies": [],
            "documents": [],
        },
        agency=req.agency,
    )
    row = _receive(
        reply(
            to="lossruns@in.example.com",
            headers={"In-Reply-To": notice.message_id},
            subject="hello",
            text="hello",
        )
    )
    assert row.request is None and row.status == Status.TRIAGE


@pytest.mark.django_db
def test_a_forged_token_is_refused_and_never_attached(req):
    forged = f"lossruns+r{req.pk}.{'0' * 24}@in.example.com"
    row = _receive(reply(to=forged, attachments=[attachment(PDF, "lr.pdf", "application/pdf")]))
    assert row.status == Status.REFUSED and row.request is None and row.agency is None
    assert row.proposed_request is None
    req.refresh_from_db()
    assert req.received_on is None and not row.documents.exists()


@pytest.mark.django_db
def test_an_altered_token_naming_another_request_is_refused(req, other_agency):
    theirs = LossRunRequestFactory(agency=other_agency)
    token = reply_token(req.pk)
    mac = token.split(".")[1]
    altered = f"lossruns+r{theirs.pk:x}.{mac}@in.example.com"  # our MAC, their id
    row = _receive(reply(to=altered))
    assert row.status == Status.REFUSED and row.request is None


@pytest.mark.django_db
def test_a_forged_token_beside_a_valid_one_still_refuses_the_message(req):
    to = f"{request_reply_address(req.pk)}, lossruns+r1.{'a' * 24}@in.example.com"
    row = _receive(reply(to=to))
    assert row.status == Status.REFUSED and row.request is None


@pytest.mark.django_db
def test_a_reply_to_another_agencys_token_lands_only_in_that_agency(req, other_agency):
    theirs = LossRunRequestFactory(agency=other_agency, policies=["GL-1"])
    # The sender names our request's policy and insured, but writes to their token.
    row = _receive(
        reply(
            to=request_reply_address(theirs.pk),
            subject=f"Loss runs for {req.insured.legal_name}, policy GL-1",
            attachments=[attachment(PDF, "lr.pdf", "application/pdf")],
        )
    )
    assert row.request == theirs and row.agency == other_agency
    req.refresh_from_db()
    theirs.refresh_from_db()
    assert req.received_on is None and req.documents.filter(kind="loss_run").count() == 0
    assert theirs.received_on is not None


@pytest.mark.django_db
def test_the_token_wins_over_a_thread_of_another_request(sent, agency):
    other = LossRunRequestFactory(agency=agency)
    row = _receive(
        reply(to=request_reply_address(other.pk), headers={"In-Reply-To": sent.email.message_id})
    )
    assert row.request == other and row.routed_by == "token"


@pytest.mark.django_db
def test_a_policy_number_only_proposes_a_match_for_triage(req):
    row = _receive(
        reply(
            to="lossruns@in.example.com",
            subject="Loss runs, policy GL-1",
            attachments=[attachment(CSV, "lr.csv", "text/csv")],
        )
    )
    assert row.status == Status.TRIAGE and row.request is None and row.agency is None
    assert row.proposed_request == req and "policy number" in row.proposal_reason
    req.refresh_from_db()
    assert req.received_on is None and not req.documents.filter(kind="loss_run").exists()


@pytest.mark.django_db
def test_the_insureds_name_in_the_subject_only_proposes(req):
    row = _receive(
        reply(to="lossruns@in.example.com", subject=f"Re: {req.insured.legal_name}", text="Hi")
    )
    assert row.status == Status.TRIAGE and row.proposed_request == req
    assert "insured's name" in row.proposal_reason


@pytest.mark.django_db
def test_a_message_with_no_clue_waits_unproposed(req):
    row = _receive(reply(to="lossruns@in.example.com", subject="Hello", text="Who is this?"))
    assert row.status == Status.TRIAGE and row.proposed_request is None


@pytest.mark.django_db
def test_a_token_of_a_deleted_request_is_not_attached(agency):
    gone = LossRunRequestFactory(agency=agency)
    address = request_reply_address(gone.pk)
    gone.delete()
    row = _receive(reply(to=address, subject="Hello", text="x"))
    assert row.request is None and row.status == Status.TRIAGE


@pytest.mark.django_db
def test_the_proposal_prefers_the_request_sent_to_this_sender(sent, agency):
    LossRunRequestFactory(agency=AgencyFactory(), policies=["GL-1"])  # newer, elsewhere
    carrier_address = sent.to
    row = _receive(
        reply(
            to="lossruns@in.example.com",
            subject="policy GL-1",
            from_email=f"Carrier <{carrier_address}>",
        )
    )
    assert row.proposed_request_id == sent.request_id
