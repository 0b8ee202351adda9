import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helpdesk import services
from helpdesk.models import Ticket, TicketEvent
from tests.factories import LossRunRequestFactory, UserFactory
from tests.helpdesk.factories import PDF_BYTES, CommonMistakeFactory, TicketFactory
from vault.models import Document


def pdf(name="file.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def submit_url(req):
    return reverse("helpdesk:submit", args=[req.pk])


def complete_post(signed_doc, proof_doc, **extra):
    data = {
        "signed_first_request": str(signed_doc.pk),
        f"proof_{proof_doc.pk}": ["GL-123", "AU-456"],
        "message": "Called twice, no answer.",
        "confirm_common_mistakes": "on",
    }
    data.update(extra)
    return data


# --- the submission form ------------------------------------------------------------------


def test_submit_form_is_prefilled_from_the_request(
    member_client, overdue_request, signed_doc, proof_doc
):
    CommonMistakeFactory(title="Wrong department")
    r = member_client.get(submit_url(overdue_request))
    assert r.status_code == 200
    html = r.content.decode()
    assert overdue_request.insured.legal_name in html
    assert overdue_request.carrier.legal_name in html
    assert "GL-123" in html and "AU-456" in html
    assert signed_doc.original_name in html and "dec.pdf" in html
    assert reverse("helpdesk:common_mistakes") in html
    assert "Wrong department" in html


def test_complete_submission_creates_ticket_and_redirects(
    member_client, overdue_request, signed_doc, proof_doc, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = member_client.post(submit_url(overdue_request), complete_post(signed_doc, proof_doc))
    ticket = Ticket.objects.get()
    assert r.status_code == 302 and r.url == reverse("helpdesk:ticket_detail", args=[ticket.pk])
    assert ticket.signed_first_request == signed_doc
    assert ticket.messages.get().body == "Called twice, no answer."
    assert [m.to for m in mail.outbox] == [
        ["helpdesk@localhost"],
        [overdue_request.created_by.email],
    ]


@pytest.mark.parametrize(
    ("drop", "error"),
    [
        ("signed_first_request", "Choose the signed first request from the vault or upload it."),
        ("confirm_common_mistakes", "Confirm that you reviewed the Common Mistakes list."),
        ("proof", "Add the most current proof of carrier"),
    ],
)
def test_each_missing_piece_gives_a_field_error_and_keeps_input(
    member_client, overdue_request, signed_doc, proof_doc, drop, error
):
    data = complete_post(signed_doc, proof_doc)
    data.pop(f"proof_{proof_doc.pk}" if drop == "proof" else drop)
    r = member_client.post(submit_url(overdue_request), data)
    assert r.status_code == 400
    html = r.content.decode()
    assert error in html
    assert "Called twice, no answer." in html  # nothing typed is lost
    assert not Ticket.objects.exists()


def test_uncovered_policy_number_is_named(member_client, overdue_request, signed_doc, proof_doc):
    data = complete_post(signed_doc, proof_doc)
    data[f"proof_{proof_doc.pk}"] = ["GL-123"]
    r = member_client.post(submit_url(overdue_request), data)
    assert r.status_code == 400
    assert "Policy AU-456 is not covered by any proof of carrier." in r.content.decode()
    assert "Policy GL-123 is not covered" not in r.content.decode()
    assert not Ticket.objects.exists()


def test_upload_without_policy_numbers_is_an_error(member_client, overdue_request, signed_doc):
    r = member_client.post(
        submit_url(overdue_request),
        {
            "signed_first_request": str(signed_doc.pk),
            "new0_file": pdf("bill.pdf"),
            "new0_kind": Document.Kind.PROOF_BILL,
            "confirm_common_mistakes": "on",
        },
    )
    assert r.status_code == 400
    assert "Tick the policy numbers this document covers." in r.content.decode()


def test_uploads_of_a_failed_submission_are_kept_and_offered(member_client, overdue_request):
    r = member_client.post(
        submit_url(overdue_request),
        {
            "signed_file": pdf("signed-auth.pdf"),
            "new0_file": pdf("declarations.pdf"),
            "new0_kind": Document.Kind.PROOF_DEC_PAGE,
            "new0_policies": ["GL-123", "AU-456"],
            "message": "keep me",
            # the confirmation is missing
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    signed = Document.objects.get(original_name="signed-auth.pdf")
    proof = Document.objects.get(original_name="declarations.pdf")
    assert signed.kind == Document.Kind.AUTH_SIGNED and signed.request == overdue_request
    assert proof.kind == Document.Kind.PROOF_DEC_PAGE
    assert "saved in your vault" in html
    assert "Confirm that you reviewed the Common Mistakes list." in html
    assert "keep me" in html
    # The stored files are now selected choices: the signed radio and the proof checkboxes.
    form = r.context["form"]
    assert form["signed_first_request"].value() == str(signed.pk)
    assert form[f"proof_{proof.pk}"].value() == ["GL-123", "AU-456"]
    # Submitting again without re-uploading succeeds.
    r = member_client.post(
        submit_url(overdue_request),
        {
            "signed_first_request": str(signed.pk),
            f"proof_{proof.pk}": ["GL-123", "AU-456"],
            "message": "keep me",
            "confirm_common_mistakes": "on",
        },
    )
    assert r.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.signed_first_request == signed
    assert Document.objects.count() == 2


def test_refused_upload_type_is_a_field_error(member_client, overdue_request, signed_doc):
    r = member_client.post(
        submit_url(overdue_request),
        {
            "signed_first_request": str(signed_doc.pk),
            "new0_file": SimpleUploadedFile("x.exe", b"MZ\x90\x00" + b"\x00" * 200),
            "new0_kind": Document.Kind.PROOF_BILL,
            "new0_policies": ["GL-123", "AU-456"],
            "message": "still here",
            "confirm_common_mistakes": "on",
        },
    )
    assert r.status_code == 400
    form = r.context["form"]
    assert form.errors.get("new0_file")
    assert "still here" in r.content.decode()
    assert not Ticket.objects.exists()


def test_oversized_upload_is_refused_before_it_is_stored(
    member_client, overdue_request, signed_doc, settings
):
    settings.MAX_UPLOAD_BYTES = 1024
    r = member_client.post(
        submit_url(overdue_request),
        {
            "message": "typed first",
            "signed_first_request": str(signed_doc.pk),
            "new0_file": SimpleUploadedFile("big.pdf", PDF_BYTES.ljust(4096, b"0")),
            "new0_kind": Document.Kind.PROOF_BILL,
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "the largest accepted upload is 1 KB" in html or "largest accepted upload" in html
    assert "typed first" in html
    assert not Document.objects.filter(original_name="big.pdf").exists()
    assert not Ticket.objects.exists()


def test_second_submission_shows_the_open_ticket(member_client, ticket):
    r = member_client.get(submit_url(ticket.request), follow=True)
    assert r.redirect_chain[-1][0] == reverse("helpdesk:ticket_detail", args=[ticket.pk])
    assert "already has an open help desk ticket" in r.content.decode()
    r = member_client.post(submit_url(ticket.request), {})
    assert r.status_code == 302
    assert Ticket.objects.count() == 1


def test_other_agencys_request_is_404(member_client, other_agency):
    foreign = LossRunRequestFactory(agency=other_agency)
    assert member_client.get(submit_url(foreign)).status_code == 404
    assert member_client.post(submit_url(foreign), {}).status_code == 404


def test_anonymous_is_sent_to_login(client, overdue_request):
    r = client.get(submit_url(overdue_request))
    assert r.status_code == 302 and "/accounts/login/" in r.url


def test_staff_without_agency_get_403_on_agency_pages(staff_client, ticket):
    assert staff_client.get(reverse("helpdesk:ticket_list")).status_code == 403
    assert staff_client.get(reverse("helpdesk:ticket_detail", args=[ticket.pk])).status_code == 403


# --- common mistakes ----------------------------------------------------------------------


def test_common_mistakes_page_lists_active_entries(member_client):
    CommonMistakeFactory(title="Outdated authorization", what_to_do="Get a new signature.")
    CommonMistakeFactory(title="Retired entry", active=False)
    r = member_client.get(reverse("helpdesk:common_mistakes"))
    html = r.content.decode()
    assert "Outdated authorization" in html and "Get a new signature." in html
    assert "Retired entry" not in html


# --- list and detail ----------------------------------------------------------------------


def test_ticket_list_shows_own_tickets_with_constant_queries(
    member_client, agency, other_agency, django_assert_num_queries
):
    mine = TicketFactory(request__agency=agency)
    theirs = TicketFactory(request__agency=other_agency)
    url = reverse("helpdesk:ticket_list")
    with django_assert_num_queries(4):  # session, user with its agency, tickets, count
        r = member_client.get(url)
    html = r.content.decode()
    assert str(mine.request.insured) in html
    assert str(theirs.request.insured) not in html
    for _ in range(5):
        TicketFactory(request__agency=agency)
    with django_assert_num_queries(4):
        r = member_client.get(url)
    assert len(r.context["tickets"]) == 6


def test_ticket_list_says_what_staff_wait_for(member_client, ticket, staff, mistakes):
    services.ticket_return_to_agency(ticket=ticket, actor=staff, reasons=mistakes[:1])
    html = member_client.get(reverse("helpdesk:ticket_list")).content.decode()
    assert "Wrong policy number" in html and "Waiting on agency" in html


def test_detail_shows_public_thread_and_never_internal_notes(
    member_client, ticket, staff, mistakes
):
    services.ticket_add_message(ticket=ticket, author=staff, body="We phoned the carrier.")
    services.ticket_add_message(
        ticket=ticket, author=staff, body="INTERNAL: rep is rude", is_internal=True
    )
    services.ticket_return_to_agency(
        ticket=ticket, actor=staff, reasons=mistakes[:1], note="Need the bill"
    )
    r = member_client.get(reverse("helpdesk:ticket_detail", args=[ticket.pk]))
    html = r.content.decode()
    assert "We phoned the carrier." in html
    assert "INTERNAL" not in html
    assert "Message #" not in html  # internal audit detail stays in the admin
    assert "Wrong policy number" in html and "Need the bill" in html
    assert "dec-page.pdf" in html and "GL-123" in html


def test_other_agencys_ticket_is_404(member_client, other_agency):
    foreign = TicketFactory(request__agency=other_agency)
    url = reverse("helpdesk:ticket_detail", args=[foreign.pk])
    assert member_client.get(url).status_code == 404
    assert member_client.post(url, {"body": "x"}).status_code == 404
    assert member_client.get(reverse("helpdesk:ticket_detail", args=[999999])).status_code == 404


def test_reply_while_waiting_moves_back_to_review_and_emails_helpdesk(
    member_client, ticket, staff, mistakes, django_capture_on_commit_callbacks
):
    services.ticket_return_to_agency(ticket=ticket, actor=staff, reasons=mistakes[:1])
    with django_capture_on_commit_callbacks(execute=True):
        r = member_client.post(
            reverse("helpdesk:ticket_detail", args=[ticket.pk]),
            {
                "body": "Here is the bill.",
                "files": [pdf("bill.pdf")],
                "kind": Document.Kind.PROOF_BILL,
            },
        )
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.IN_REVIEW
    msg = ticket.messages.get(body="Here is the bill.")
    doc = msg.documents.get()
    assert doc.kind == Document.Kind.PROOF_BILL and doc.request == ticket.request
    to_desk = [m for m in mail.outbox if m.to == ["helpdesk@localhost"]]
    assert len(to_desk) == 1 and "bill.pdf" in to_desk[0].body
    assert ticket.events.filter(action=TicketEvent.Action.AGENCY_REPLY).exists()


def test_empty_reply_is_an_error(member_client, ticket):
    r = member_client.post(
        reverse("helpdesk:ticket_detail", args=[ticket.pk]), {"body": "  ", "kind": "other"}
    )
    assert r.status_code == 400
    assert "Write a reply or attach a document." in r.content.decode()


def test_closed_ticket_has_no_reply_box(member_client, ticket, staff):
    services.ticket_set_status(
        ticket=ticket, status=Ticket.Status.CLOSED_CANNOT_PURSUE, actor=staff
    )
    html = member_client.get(reverse("helpdesk:ticket_detail", args=[ticket.pk])).content.decode()
    assert "This ticket is closed" in html and "Send reply" not in html


def test_another_member_of_the_agency_sees_the_ticket(client, ticket):
    colleague = UserFactory(agency=ticket.agency)
    client.force_login(colleague)
    assert client.get(reverse("helpdesk:ticket_detail", args=[ticket.pk])).status_code == 200


def test_received_request_cannot_be_handed_over(
    member_client, overdue_request, signed_doc, proof_doc
):
    overdue_request.received_on = overdue_request.first_request_on
    overdue_request.save()
    r = member_client.get(submit_url(overdue_request))
    assert r.status_code == 200 and "nothing to hand to the help desk" in r.content.decode()
    r = member_client.post(submit_url(overdue_request), complete_post(signed_doc, proof_doc))
    assert r.status_code == 400
    assert not Ticket.objects.exists()


# --- e-mails through the outbox -----------------------------------------------------------


def test_a_newline_in_the_insured_name_never_breaks_the_hand_over(
    member_client,
    overdue_request,
    signed_doc,
    proof_doc,
    agency,
    django_capture_on_commit_callbacks,
):
    """Regression: a CR/LF in the insured's name made the on-commit send raise BadHeaderError
    (a 500 after the ticket was saved, and its e-mails lost)."""
    from outbox.models import Email

    insured = overdue_request.insured
    insured.legal_name = "Acme Roofing\r\nBcc: someone@elsewhere.test"
    insured.save()
    with django_capture_on_commit_callbacks(execute=True):
        r = member_client.post(submit_url(overdue_request), complete_post(signed_doc, proof_doc))
    ticket = Ticket.objects.get()
    assert r.status_code == 302 and r.url == reverse("helpdesk:ticket_detail", args=[ticket.pk])
    rows = list(Email.objects.order_by("id"))
    assert [e.status for e in rows] == [Email.Status.SENT, Email.Status.SENT]
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert message.subject.startswith(f"[{agency.name}] ")
        assert "Acme Roofing Bcc: someone@elsewhere.test" in message.subject
        assert message.message()["Bcc"] is None
    desk, agency_mail = rows
    assert desk.agency is None and desk.about == ticket and desk.to == ["helpdesk@localhost"]
    assert agency_mail.agency == agency and agency_mail.about == overdue_request


def test_smtp_down_the_submission_still_succeeds_and_the_mail_waits(
    member_client, overdue_request, signed_doc, proof_doc, django_capture_on_commit_callbacks
):
    import smtplib
    from unittest import mock

    from outbox.models import Email
    from tests.outbox_mail import deliver_outbox

    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send",
            side_effect=smtplib.SMTPConnectError(421, "down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        r = member_client.post(submit_url(overdue_request), complete_post(signed_doc, proof_doc))
    assert r.status_code == 302 and Ticket.objects.count() == 1
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.FAILED}
    assert all("down" in e for e in Email.objects.values_list("last_error", flat=True))
    assert mail.outbox == []
    assert len(deliver_outbox()) == 2 and len(deliver_outbox()) == 2
