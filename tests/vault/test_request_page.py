"""The request page (issue 18): the next-step card, its own dates form, the letter's years
and "received" leading into the claims import."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import (
    CarrierFactory,
    DocumentFactory,
    InsuredFactory,
    LossRunRequestFactory,
    PolicyFactory,
)
from tests.vault.test_views import builder_post
from vault.letters import _context as letter_context
from vault.models import Authorization, Document, LossRunRequest
from vault.next_step import next_step
from vault.rules import years_covered, years_mismatch_message, years_requested_text
from vault.services_tracking import request_dates_update
from vault.status import Status

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 13, 19, 0, tzinfo=dt.UTC)  # Thu 15:00 New York


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def make(agency, **fields):
    policies = fields.pop("policies", None)
    req = LossRunRequestFactory(agency=agency, policies=policies)
    if fields:
        LossRunRequest.objects.filter(pk=req.pk).update(**fields)
        req.refresh_from_db()
    return req


def edit_url(req, **query):
    url = reverse("vault:request_edit", kwargs={"request_id": req.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def dates_url(req):
    return reverse("vault:request_dates", kwargs={"request_id": req.pk})


# The card's content, from the status (vault.next_step) ------------------------------------


def test_before_the_first_request_the_card_asks_for_its_date_and_the_letter_to_sign(agency):
    req = make(agency)
    step = next_step(req, NOW)
    assert step.status == Status.DRAFT and step.date_field == "first_request_on"
    assert step.letter.url == reverse("vault:authorization_letter", args=[req.pk])
    assert step.action_url == reverse("dispatch:request_send", args=[req.pk])
    assert step.button == "Signature and sending"


def test_a_due_second_request_asks_for_its_moment_and_prints_the_second_letter(agency):
    req = make(
        agency,
        first_request_on=dt.date(2025, 2, 24),
        second_request_due_at=NOW - dt.timedelta(days=1),
        authorization=Authorization.SIGNED,
    )
    step = next_step(req, NOW)
    assert step.status == Status.SECOND_DUE and step.date_field == "second_request_at"
    assert step.letter.url == reverse("vault:second_request_letter", args=[req.pk])


def test_while_waiting_the_card_asks_for_the_received_date_with_no_button(agency):
    req = make(
        agency, first_request_on=dt.date(2025, 3, 12), second_request_due_at=NOW + dt.timedelta(1)
    )
    step = next_step(req, NOW)
    assert step.status == Status.WAITING_ON_CARRIER and step.date_field == "received_on"
    assert step.action_url is None and step.button == "" and step.letter is None


def test_once_received_no_date_is_asked_and_the_newest_loss_run_is_pointed_to(agency):
    req = make(agency, first_request_on=dt.date(2025, 3, 3), received_on=dt.date(2025, 3, 12))
    DocumentFactory(request=req, kind=Document.Kind.AUTH_SIGNED)
    assert next_step(req, NOW).loss_run is None
    old = DocumentFactory(request=req, kind=Document.Kind.LOSS_RUN, content_type="text/csv")
    old.uploaded_at = NOW - dt.timedelta(days=2)
    old.save()
    new = DocumentFactory(request=req, kind=Document.Kind.LOSS_RUN, content_type="text/csv")
    req = LossRunRequest.objects.prefetch_related("documents").get(pk=req.pk)
    step = next_step(req, NOW)
    assert step.received and step.date_field is None and step.loss_run == new
    assert step.claims_import.url.startswith(reverse("claims:import_start", args=[req.insured_id]))


# The page --------------------------------------------------------------------------------


def test_the_card_comes_first_then_documents_then_the_details(owner_client, agency):
    html = owner_client.get(edit_url(make(agency))).text
    card, docs, details = (html.index(s) for s in ('id="next-step"', 'id="docs-h"', "request-form"))
    assert card < docs < details
    assert 'id="dates-form"' in html and "data-warn-unsaved" in html
    assert "js/unsaved.js" in html
    assert "autofocus" not in html  # only a link that asks for a field focuses it


def input_tag(html, input_id):
    match = re.search(rf'<input[^>]*id="{input_id}"[^>]*>', html)
    assert match, input_id
    return match.group(0)


def test_an_email_link_focuses_its_field_on_the_card(owner_client, agency):
    req = make(agency)
    html = owner_client.get(edit_url(req, focus="first_request_on")).text
    assert "autofocus" in input_tag(html, "id_dates-first_request_on")
    assert "autofocus" not in input_tag(html, "id_dates-received_on")
    assert '<details class="next-step-more">' in html  # the other dates stay folded
    # A folded date asked for opens the fold.
    html = owner_client.get(edit_url(req, focus="received_on")).text
    assert "autofocus" in input_tag(html, "id_dates-received_on")
    assert '<details class="next-step-more" open>' in html


def test_an_unknown_focus_focuses_nothing(owner_client, agency):
    html = owner_client.get(edit_url(make(agency), focus="notes")).text
    assert "autofocus" not in html


# The dates form on its own ---------------------------------------------------------------


def test_htmx_save_answers_the_card_with_the_next_step(owner_client, agency):
    req = make(agency, notes="Keep me")
    response = owner_client.post(
        dates_url(req), {"first_request_on": "2025-03-12"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="next-step"' in response.text and "Dates saved" in response.text
    assert "Wait for the carrier" in response.text  # the next step after the 1st request
    assert "<html" not in response.text
    req.refresh_from_db()
    assert req.first_request_on == dt.date(2025, 3, 12) and req.notes == "Keep me"
    assert req.second_request_due_at is not None


def test_a_refused_date_comes_back_on_the_card_marked_unsaved(owner_client, agency):
    req = make(agency)
    response = owner_client.post(
        dates_url(req), {"first_request_on": "2025-03-20"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.text
    assert 'value="2025-03-20"' in response.text and "data-unsaved" in response.text
    req.refresh_from_db()
    assert req.first_request_on is None


def test_another_agencys_request_is_a_404(owner_client, other_agency):
    foreign = make(other_agency)
    assert (
        owner_client.post(dates_url(foreign), {"first_request_on": "2025-03-12"}).status_code == 404
    )
    foreign.refresh_from_db()
    assert foreign.first_request_on is None


def test_the_service_stores_only_the_dates_and_refuses_bad_ones(agency, owner):
    req = make(agency, notes="Untouched")
    with pytest.raises(ValidationError) as exc:
        request_dates_update(
            agency=agency, request=req, user=owner, first_request_on=None,
            second_request_at=NOW - dt.timedelta(hours=1), received_on=None,
        )  # fmt: skip
    assert "second_request_at" in exc.value.message_dict
    request_dates_update(
        agency=agency, request=req, user=owner, first_request_on=dt.date(2025, 3, 3),
        second_request_at=None, received_on=dt.date(2025, 3, 12),
    )  # fmt: skip
    req.refresh_from_db()
    assert (req.first_request_on, req.received_on) == (dt.date(2025, 3, 3), dt.date(2025, 3, 12))
    assert req.notes == "Untouched"


# Received leads to the claims import -------------------------------------------------------


def test_received_without_a_file_asks_for_the_loss_run(owner_client, agency):
    req = make(agency, first_request_on=dt.date(2025, 3, 3), received_on=dt.date(2025, 3, 12))
    html = owner_client.get(edit_url(req)).text
    assert 'name="kind" value="loss_run"' in html and 'id="id_received_file"' in html
    assert reverse("vault:document_upload", args=[req.pk]) in html
    assert reverse("claims:import_start", args=[req.insured_id]) not in html


def test_received_with_a_spreadsheet_opens_its_import(owner_client, agency):
    req = make(agency, first_request_on=dt.date(2025, 3, 3), received_on=dt.date(2025, 3, 12))
    doc = DocumentFactory(request=req, kind=Document.Kind.LOSS_RUN, content_type="text/csv",
                          original_name="runs.csv")  # fmt: skip
    html = owner_client.get(edit_url(req)).text
    link = f"{reverse('claims:import_start', args=[req.insured_id])}?carrier={req.carrier_id}&amp;document={doc.pk}"
    assert link in html and "Import runs.csv into Claims" in html
    assert 'id="id_received_file"' not in html
    # The import page has that document chosen.
    page = owner_client.get(link.replace("&amp;", "&")).text
    assert f'<option value="{doc.pk}" selected>' in page


def test_received_with_a_pdf_opens_the_pdf_import_with_it_chosen(owner_client, agency):
    req = make(agency, first_request_on=dt.date(2025, 3, 3), received_on=dt.date(2025, 3, 12))
    doc = DocumentFactory(request=req, kind=Document.Kind.LOSS_RUN, original_name="runs.pdf")
    html = owner_client.get(edit_url(req)).text
    link = f"{reverse('claims:pdf_import_start', args=[req.insured_id])}?carrier={req.carrier_id}&amp;document={doc.pk}"
    assert link in html and "Import runs.pdf into Claims" in html
    assert reverse("claims:import_start", args=[req.insured_id]) not in html
    # The PDF import page has that document and the request's carrier chosen.
    page = owner_client.get(link.replace("&amp;", "&")).text
    assert f'<option value="{doc.pk}" selected>runs.pdf (uploaded Mar 13, 2025)</option>' in page
    assert f'<option value="{req.carrier_id}" selected>' in page


def test_received_scan_leads_to_the_insureds_claims_to_enter_by_hand(owner_client, agency):
    req = make(agency, first_request_on=dt.date(2025, 3, 3), received_on=dt.date(2025, 3, 12))
    DocumentFactory(request=req, kind=Document.Kind.LOSS_RUN, content_type="image/png",
                    original_name="scan.png")  # fmt: skip
    html = owner_client.get(edit_url(req)).text
    assert reverse("claims:insured_summary", args=[req.insured_id]) in html
    assert "Enter its claims in Claims" in html
    assert reverse("claims:pdf_import_start", args=[req.insured_id]) not in html


def test_uploading_the_loss_run_from_the_card_returns_to_the_card(owner_client, agency):
    req = make(agency, first_request_on=dt.date(2025, 3, 3), received_on=dt.date(2025, 3, 12))
    upload = SimpleUploadedFile("runs.csv", b"claim,paid\n1,100\n", content_type="text/csv")
    back = edit_url(req) + "#next-step"
    response = owner_client.post(
        reverse("vault:document_upload", args=[req.pk]),
        {"kind": "loss_run", "file": upload, "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert "Import runs.csv into Claims" in owner_client.get(edit_url(req)).text


# Years of history versus the terms (vault.rules) -------------------------------------------


def test_years_covered_span_the_terms():
    one = [(dt.date(2025, 4, 1), dt.date(2026, 4, 1))]
    five = [(dt.date(2020 + i, 1, 1), dt.date(2021 + i, 1, 1)) for i in range(5)]
    assert years_covered(one) == 1 and years_covered(five) == 5
    assert years_covered([(dt.date(2025, 1, 1), dt.date(2025, 7, 1))]) == 1
    assert years_covered([]) == 1


def test_the_builder_warns_when_the_years_differ_from_the_terms_both_ways():
    one = [(dt.date(2025, 4, 1), dt.date(2026, 4, 1))]
    five = [(dt.date(2020 + i, 1, 1), dt.date(2021 + i, 1, 1)) for i in range(5)]
    assert years_mismatch_message(1, one) is None and years_mismatch_message(5, five) is None
    assert "5 years of history requested, but the terms listed cover 1 year" in (
        years_mismatch_message(5, one)
    )
    assert "only 2 years requested" in years_mismatch_message(2, five)


def test_the_letter_never_contradicts_its_terms():
    one = [(dt.date(2025, 4, 1), dt.date(2026, 4, 1))]
    assert years_requested_text(1, one) == "1 year"
    assert years_requested_text(5, one) == "5 years (the terms listed and the 4 years before them)"


def test_a_one_policy_request_left_blank_asks_for_one_year(owner_client, agency):
    data = builder_post(InsuredFactory(agency=agency), CarrierFactory(), years_requested="")
    response = owner_client.post(reverse("vault:request_create"), data)
    assert response.status_code == 302
    req = LossRunRequest.objects.get(agency=agency)
    assert req.years_requested == 1
    assert letter_context(req)["years_text"] == "1 year"
    assert "years-warning" not in owner_client.get(edit_url(req)).text


def test_the_edit_page_shows_the_years_warning(owner_client, agency):
    req = make(agency, policies=[])
    PolicyFactory(request=req, term_start=dt.date(2024, 1, 1), term_end=dt.date(2025, 1, 1))
    html = owner_client.get(edit_url(req)).text  # years_requested 5 (factory)
    assert 'id="years-warning"' in html and "cover 1 year" in html


def test_the_details_summary_prints_the_years_as_the_letters_do(owner_client, agency):
    one_year = make(agency, years_requested=1)
    assert "· 1 year</span></summary>" in owner_client.get(edit_url(one_year)).text
    five = make(agency)  # 5 years asked of one 2025 term
    html = owner_client.get(edit_url(five)).text
    assert "· 5 years (the terms listed and the 4 years before them)</span></summary>" in html
