"""Vault pages: Today, the list (search, filters, pages, CSV, query counts), the Request
Builder (create, edit, prefill, typeahead, inline create) and tenant isolation."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from outbox.models import Email
from outbox.services import email_queue
from tests.factories import (
    AgencyFactory,
    CarrierFactory,
    InsuredFactory,
    LossRunRequestFactory,
    UserFactory,
)
from tracker.models import Notification
from vault.models import Carrier, Insured, LossRunRequest

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 13, 19, 0, tzinfo=dt.UTC)  # Thu 15:00 New York


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def make(agency, **fields):
    """A request whose dates are set straight in the database (status tests)."""
    policies = fields.pop("policies", None)
    req = LossRunRequestFactory(agency=agency, policies=policies)
    if fields:
        LossRunRequest.objects.filter(pk=req.pk).update(**fields)
        req.refresh_from_db()
    return req


def builder_post(ins, car, **changes):
    data = {
        "insured": str(ins.pk),
        "insured_q": ins.legal_name,
        "carrier": str(car.pk),
        "carrier_q": car.legal_name,
        "years_requested": "5",
        "recipient_name": "Pat Agent",
        "recipient_email": "pat@agency.test",
        "notes": "Renewal 2025",
        "first_request_on": "",
        "second_request_at": "",
        "received_on": "",
        "policies-TOTAL_FORMS": "1",
        "policies-INITIAL_FORMS": "0",
        "policies-MIN_NUM_FORMS": "0",
        "policies-MAX_NUM_FORMS": "1000",
        "policies-0-id": "",
        "policies-0-policy_number": "GL-777",
        "policies-0-line_of_business": "GL",
        "policies-0-term_start": "2024-01-01",
        "policies-0-term_end": "2025-01-01",
    }
    data.update(changes)
    return data


# Access ----------------------------------------------------------------------------------


def test_anonymous_root_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_without_agency_gets_403(client):
    client.force_login(UserFactory(agency=None, is_staff=True))
    assert client.get(reverse("vault:list")).status_code == 403


@pytest.mark.parametrize("name", ["vault:request_edit", "vault:request_row"])
def test_another_agencys_request_is_404(owner_client, name):
    foreign = LossRunRequestFactory()
    assert owner_client.get(reverse(name, kwargs={"request_id": foreign.pk})).status_code == 404
    assert owner_client.get(reverse(name, kwargs={"request_id": 999999})).status_code == 404


def test_posting_to_another_agencys_request_changes_nothing(owner_client, agency):
    foreign = LossRunRequestFactory()
    url = reverse("vault:request_edit", kwargs={"request_id": foreign.pk})
    data = builder_post(InsuredFactory(agency=agency), CarrierFactory(), received_on="2025-03-12")
    assert owner_client.post(url, data).status_code == 404
    foreign.refresh_from_db()
    assert foreign.received_on is None


# Today -----------------------------------------------------------------------------------


def test_today_lists_what_needs_action_with_links(owner_client, agency):
    awaiting = make(agency)
    second_due = make(
        agency,
        first_request_on=dt.date(2025, 2, 20),
        second_request_due_at=NOW - dt.timedelta(days=1),
    )
    waiting = make(
        agency,
        first_request_on=dt.date(2025, 3, 10),
        second_request_due_at=NOW + dt.timedelta(days=5),
    )
    helpdesk = make(
        agency,
        first_request_on=dt.date(2025, 2, 1),
        second_request_at=NOW - dt.timedelta(days=3),
        helpdesk_due_at=NOW - dt.timedelta(days=2),
    )
    make(AgencyFactory())  # another agency's never shows
    response = owner_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for req in (awaiting, second_due, helpdesk):
        assert req.insured.legal_name in html
    assert waiting.insured.legal_name not in html
    assert reverse("dispatch:request_send", kwargs={"request_id": second_due.pk}) in html
    assert "Overdue since" in html
    counts = dict((s, n) for s, _label, n in response.context["counts"])
    assert counts == {
        "draft": 1, "awaiting_signature": 0, "signed": 0, "waiting": 1, "second_due": 1, "waiting_second": 0, "help_desk": 1, "with_help_desk": 0, "received": 0,
    }  # fmt: skip


def test_today_when_nothing_is_due(owner_client, agency):
    make(agency, received_on=dt.date(2025, 3, 1))
    assert "Nothing needs your action today" in owner_client.get("/").content.decode()


@pytest.mark.parametrize("n", [1, 6])
def test_today_query_count_is_constant(owner_client, agency, django_assert_num_queries, n):
    for _ in range(n):
        make(agency)
        make(
            agency,
            first_request_on=dt.date(2025, 2, 20),
            second_request_due_at=NOW - dt.timedelta(days=1),
        )
    # session, user with its agency; the status counts (one query); 2 sections; past
    # statutory (rows, count); team.
    with django_assert_num_queries(8):
        owner_client.get("/")


# The vault list --------------------------------------------------------------------------


def test_list_shows_columns_newest_first(owner_client, agency):
    old = make(agency, created_at=NOW - dt.timedelta(days=3), first_request_on=dt.date(2025, 3, 11))
    new = make(agency, created_at=NOW - dt.timedelta(days=1))
    html = owner_client.get(reverse("vault:list")).content.decode()
    for column in (
        "Insured",
        "Carrier",
        "Owner",
        "Created",
        "1st request sent",
        "2nd request sent",
        "Received",
        "Status",
        "Next action",
    ):
        assert f">{column}</th>" in html
    assert html.index(new.insured.legal_name) < html.index(old.insured.legal_name)
    assert "Mar 11, 2025" in html
    assert 'aria-expanded="false"' in html


def test_list_search_by_insured_dba_carrier_and_policy(owner_client, agency):
    acme = make(agency)
    Insured.objects.filter(pk=acme.insured_id).update(
        legal_name="Acme Roofing LLC", dba="Top Roofs"
    )
    other = make(agency, policies=["WC-55501"])
    Carrier.objects.filter(pk=other.carrier_id).update(legal_name="Granite State Mutual")
    url = reverse("vault:list")

    def found(q):
        return {r.req.pk for r in owner_client.get(url, {"q": q}).context["page"].rows}

    assert found("acme") == {acme.pk}
    assert found("top roofs") == {acme.pk}
    assert found("granite") == {other.pk}
    assert found("WC-555") == {other.pk}
    assert found("no such thing") == set()


def test_list_status_filter(owner_client, agency):
    received = make(agency, received_on=dt.date(2025, 3, 1))
    awaiting = make(agency)
    url = reverse("vault:list")
    rows = owner_client.get(url, {"status": "received"}).context["page"].rows
    assert [r.req.pk for r in rows] == [received.pk]
    rows = owner_client.get(url, {"status": "draft"}).context["page"].rows
    assert [r.req.pk for r in rows] == [awaiting.pk]
    # An unknown status is ignored, not a 500.
    assert owner_client.get(url, {"status": "bogus"}).status_code == 200


def test_list_pagination(owner_client, agency, settings):
    reqs = [make(agency, created_at=NOW - dt.timedelta(minutes=i)) for i in range(52)]
    url = reverse("vault:list")
    first = owner_client.get(url).context["page"]
    assert len(first.rows) == 50 and first.has_next and not first.has_previous
    assert first.total == 52 and first.start_index == 1
    second = owner_client.get(url, {"after": first.next_cursor}).context["page"]
    assert [r.req.pk for r in second.rows] == [reqs[50].pk, reqs[51].pk]
    assert second.has_previous and not second.has_next and second.total == 52
    assert second.start_index == 51
    assert owner_client.get(url, {"after": "x"}).context["page"].rows == first.rows
    assert owner_client.get(url, {"before": "9" * 30}).status_code == 200


def test_list_never_shows_another_agencys_requests(owner_client, agency):
    foreign = make(AgencyFactory())
    html = owner_client.get(reverse("vault:list")).content.decode()
    assert foreign.insured.legal_name not in html


@pytest.mark.parametrize(("n", "queries"), [(5, 4), (30, 4), (55, 5), (80, 5)])
def test_list_query_count_is_constant(owner_client, agency, django_assert_num_queries, n, queries):
    for _ in range(n):
        make(agency, policies=["A-1", "B-2"])
    # session, user with its agency (middleware), the owner filter's members, rows; plus the capped
    # count once a next page exists.
    with django_assert_num_queries(queries):
        response = owner_client.get(reverse("vault:list"))
    assert len(response.context["page"].rows) == min(n, 50)


@pytest.mark.parametrize("n", [55, 80])
def test_list_query_count_with_status_and_search(
    owner_client, agency, django_assert_num_queries, n
):
    for _ in range(n):
        make(agency, policies=["A-1"])
    with django_assert_num_queries(5):  # members, rows + the status's count
        owner_client.get(reverse("vault:list"), {"status": "draft"})
    with django_assert_num_queries(7):  # members, 3 look-ups + rows, no count for a search
        owner_client.get(reverse("vault:list"), {"q": "Insured"})


def test_request_row_expansion(owner_client, agency, django_assert_num_queries):
    req = make(agency, policies=["GL-1", "AU-2"])
    email = _email(agency, req, "Enter the 1st request date")
    Email.objects.filter(pk=email.pk).update(status="failed", last_error="SMTP timeout")
    Notification.objects.create(
        agency=agency, request=req, milestone="first_request_reminder_day2",
        due_at=NOW - dt.timedelta(days=1), status="queued", email=email,
    )  # fmt: skip
    url = reverse("vault:request_row", kwargs={"request_id": req.pk})
    with django_assert_num_queries(
        6
    ):  # session, user with its agency, request, policies, documents, notices
        response = owner_client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr class="detail-row" id="detail-{req.pk}"')
    assert "GL-1" in html and "AU-2" in html
    # The years as the letters print them (5 asked of one 2025 term), no extra query.
    assert "Years requested: 5 years (the terms listed and the 4 years before them)" in html
    assert "Reminder: enter the 1st request date (day 2)" in html and "SMTP timeout" in html
    assert "Failed (will retry)" in html
    assert reverse("vault:request_edit", kwargs={"request_id": req.pk}) in html


def _email(agency, req, subject):
    return email_queue(
        kind="test.note",
        to=["owner@agency.test"],
        subject=subject,
        template="accounts/invitation",
        context={},
        agency=agency,
        about=req,
    )


def test_edit_page_lists_the_agency_s_e_mails_about_the_request(owner_client, agency):
    from outbox.delivery import email_deliver

    req = make(agency)
    sent, waiting = _email(agency, req, "Notice one"), _email(agency, req, "Notice two")
    email_deliver(email_id=sent.pk, now=NOW)
    Email.objects.filter(pk=waiting.pk).update(status="failed", last_error="Connection refused")
    _email(agency, make(agency), "About another request")
    email_queue(
        kind="test.staff", to=["desk@platform.test"], subject="Platform note",
        template="accounts/invitation", context={}, about=req,
    )  # fmt: skip
    html = owner_client.get(
        reverse("vault:request_edit", kwargs={"request_id": req.pk})
    ).content.decode()
    assert "E-mails about this request" in html
    assert "Notice one" in html and "Sent" in html and "sent Mar 13, 2025" in html
    assert "Notice two" in html and "Failed (will retry)" in html
    assert "Error: Connection refused" in html
    assert "About another request" not in html and "Platform note" not in html


# CSV export ------------------------------------------------------------------------------


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_neutralises_formulas_and_follows_the_filter(owner_client, agency):
    evil = make(agency, policies=["=HYPERLINK(1)"], received_on=dt.date(2025, 3, 1))
    Insured.objects.filter(pk=evil.insured_id).update(
        legal_name="=cmd|' /C calc'!A0", dba="@SUM(A1)"
    )
    Carrier.objects.filter(pk=evil.carrier_id).update(legal_name="+1 Mutual")
    make(agency)  # awaiting first: filtered out below
    response = owner_client.get(reverse("vault:export_csv"), {"status": "received"})
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][0] == "Insured"
    assert len(rows) == 2
    insured, dba, carrier, _naic, policies = rows[1][:5]
    assert insured == "'=cmd|' /C calc'!A0"
    assert dba == "'@SUM(A1)"
    assert carrier == "'+1 Mutual"
    assert policies == "'=HYPERLINK(1)"
    assert rows[1][10] == "Received"


def test_csv_export_only_this_agency(owner_client, agency):
    make(agency)
    foreign = make(AgencyFactory())
    rows = read_csv(owner_client.get(reverse("vault:export_csv")))
    assert len(rows) == 2
    assert foreign.insured.legal_name not in str(rows)


# Request Builder -------------------------------------------------------------------------


def test_create_page_defaults_the_recipient_to_the_user(owner_client, owner):
    html = owner_client.get(reverse("vault:request_create")).content.decode()
    assert f'value="{owner.email}"' in html
    assert "1st Request" in html and "2nd Request" in html and "Received" in html
    assert 'type="datetime-local"' in html


def test_create_prefill_resolves_through_the_agency(owner_client, agency):
    insured = InsuredFactory(agency=agency, legal_name="Prefilled Bakery")
    carrier = CarrierFactory(legal_name="Prefilled Mutual")
    foreign = InsuredFactory(agency=AgencyFactory(), legal_name="Foreign Insured")
    url = reverse("vault:request_create")
    html = owner_client.get(url, {"insured": insured.pk, "carrier": carrier.pk}).content.decode()
    assert 'value="Prefilled Bakery"' in html and 'value="Prefilled Mutual' in html
    html = owner_client.get(url, {"insured": foreign.pk, "carrier": "junk"}).content.decode()
    assert "Foreign Insured" not in html


def test_create_flow(owner_client, agency, owner):
    insured, carrier = InsuredFactory(agency=agency), CarrierFactory()
    response = owner_client.post(reverse("vault:request_create"), builder_post(insured, carrier))
    req = LossRunRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vault:request_edit", kwargs={"request_id": req.pk})
    assert req.agency == agency and req.created_by == owner
    assert list(req.policies.values_list("policy_number", flat=True)) == ["GL-777"]
    assert req.next_due_at is not None  # schedule refreshed


def test_create_with_errors_keeps_everything_typed(owner_client, agency):
    insured, carrier = InsuredFactory(agency=agency), CarrierFactory()
    data = builder_post(
        insured,
        carrier,
        notes="Keep me",
        second_request_at="2025-03-12T10:00",
        **{"policies-0-term_end": "2023-01-01"},
    )
    response = owner_client.post(reverse("vault:request_create"), data)
    assert response.status_code == 200
    assert not LossRunRequest.objects.exists()
    html = response.content.decode()
    assert "Enter the 1st request date first" in html
    assert "The term must end after it starts." in html
    assert "Keep me" in html and 'value="GL-777"' in html and 'value="2025-03-12T10:00"' in html
    assert f'value="{insured.legal_name}"' in html


def test_create_without_policy_shows_error(owner_client, agency):
    data = builder_post(InsuredFactory(agency=agency), CarrierFactory())
    data.update({"policies-TOTAL_FORMS": "0"})
    response = owner_client.post(reverse("vault:request_create"), data)
    assert response.status_code == 200
    assert "Add at least one policy number." in response.content.decode()


def test_create_with_typed_but_unpicked_insured_keeps_the_text(owner_client, agency):
    data = builder_post(
        InsuredFactory(agency=agency), CarrierFactory(), insured="", insured_q="Half typed"
    )
    html = owner_client.post(reverse("vault:request_create"), data).content.decode()
    assert 'value="Half typed"' in html
    assert "Choose an insured from the list" in html


def test_edit_page_title_and_values(owner_client, agency):
    req = make(
        agency,
        first_request_on=dt.date(2025, 3, 3),
        second_request_at=dt.datetime(2025, 3, 12, 14, 0, tzinfo=dt.UTC),
    )
    html = owner_client.get(
        reverse("vault:request_edit", kwargs={"request_id": req.pk})
    ).content.decode()
    assert "Update the Loss Run Retrieval Request" in html
    assert 'value="2025-03-03"' in html
    assert 'value="2025-03-12T10:00"' in html  # agency-local (EDT)


def test_edit_flow_saves_the_details_and_keeps_the_stored_dates(owner_client, agency):
    req = make(agency, policies=["GL-1"], first_request_on=dt.date(2025, 3, 4))
    policy = req.policies.get()
    data = builder_post(
        req.insured,
        req.carrier,
        first_request_on="2025-03-03",  # not a field of the details form: ignored
        **{
            "policies-INITIAL_FORMS": "1",
            "policies-0-id": str(policy.pk),
            "policies-0-policy_number": "GL-1-B",
        },
    )
    url = reverse("vault:request_edit", kwargs={"request_id": req.pk})
    response = owner_client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("vault:list")
    req.refresh_from_db()
    policy.refresh_from_db()
    assert req.first_request_on == dt.date(2025, 3, 4)
    assert policy.policy_number == "GL-1-B"


def test_the_dates_card_records_dates_and_refreshes(owner_client, agency):
    req = make(agency, policies=["GL-1"], notes="Keep")
    url = reverse("vault:request_dates", kwargs={"request_id": req.pk})
    response = owner_client.post(url, {"first_request_on": "2025-03-03"})
    edit = reverse("vault:request_edit", kwargs={"request_id": req.pk})
    assert response.status_code == 302 and response["Location"] == edit + "#next-step"
    req.refresh_from_db()
    assert req.first_request_on == dt.date(2025, 3, 3)
    assert req.second_request_due_at == dt.datetime(2025, 3, 17, 12, 0, tzinfo=dt.UTC)
    assert req.notes == "Keep" and req.policies.get().policy_number == "GL-1"


def test_edit_redirects_to_a_safe_next_only(owner_client, agency):
    req = make(agency)
    url = reverse("vault:request_edit", kwargs={"request_id": req.pk})
    data = builder_post(req.insured, req.carrier)
    assert owner_client.post(url, {**data, "next": "/?x=1"})["Location"] == "/?x=1"
    assert owner_client.post(url, {**data, "next": "https://evil.test/"})["Location"] == reverse(
        "vault:list"
    )


# Typeahead and inline create -------------------------------------------------------------


def test_insured_typeahead_is_scoped(owner_client, agency):
    InsuredFactory(agency=agency, legal_name="Blue Harbor Marine", dba="BHM")
    InsuredFactory(agency=AgencyFactory(), legal_name="Blue Harbor Foreign")
    html = owner_client.get(reverse("vault:insured_search"), {"insured_q": "blue"}).content.decode()
    assert "Blue Harbor Marine" in html and "Blue Harbor Foreign" not in html
    html = owner_client.get(reverse("vault:insured_search"), {"q": "bhm"}).content.decode()
    assert "Blue Harbor Marine" in html
    html = owner_client.get(reverse("vault:insured_search"), {"q": "zzz"}).content.decode()
    assert "No insured matches" in html
    assert owner_client.get(reverse("vault:carrier_search"), {"q": "a\x00b"}).status_code == 200


def test_carrier_typeahead_by_name_or_naic_platform_and_private(owner_client, agency):
    CarrierFactory(legal_name="Hartwell Casualty", naic_code="12345")
    CarrierFactory(legal_name="Hartwell Private", naic_code="55555", agency=agency)
    CarrierFactory(legal_name="Hartwell Elsewhere", agency=AgencyFactory())
    url = reverse("vault:carrier_search")
    html = owner_client.get(url, {"q": "hartwell"}).content.decode()
    assert "Hartwell Casualty" in html and "Hartwell Private" in html
    assert "Hartwell Elsewhere" not in html
    html = owner_client.get(url, {"carrier_q": "1234"}).content.decode()
    assert "Hartwell Casualty" in html and "Hartwell Private" not in html


def test_insured_inline_create(owner_client, agency):
    url = reverse("vault:insured_create_inline")
    response = owner_client.post(url, {"ni-legal_name": "Fresh Start LLC", "ni-state": "NJ"})
    assert response.status_code == 200
    insured = Insured.objects.get(legal_name="Fresh Start LLC")
    assert insured.agency == agency
    assert f'"id": {insured.pk}' in response["HX-Trigger"]
    response = owner_client.post(url, {"ni-legal_name": "", "ni-signer_email": "bad"})
    assert response.status_code == 200 and "HX-Trigger" not in response
    html = response.content.decode()
    assert "This field is required." in html and 'value="bad"' in html


def test_carrier_inline_create_is_private(owner_client, agency):
    url = reverse("vault:carrier_create_inline")
    response = owner_client.post(url, {"nc-legal_name": "Local Mutual", "nc-naic_code": "77777"})
    carrier = Carrier.objects.get(legal_name="Local Mutual")
    assert carrier.agency == agency
    assert "vault:picked" in response["HX-Trigger"]
    assert owner_client.get(reverse("vault:request_create")).status_code == 200


def test_inline_create_needs_post(owner_client):
    assert owner_client.get(reverse("vault:insured_create_inline")).status_code == 405


def test_search_narrow_and_broad_paths_find_the_same(owner_client, agency, monkeypatch):
    from vault import selectors

    hits = [make(agency, policies=[f"CPP-{i}"]) for i in range(3)]
    Insured.objects.filter(pk=hits[0].insured_id).update(legal_name="Cpp Widgets")
    make(agency, policies=["WC-1"])
    url = reverse("vault:list")

    def found():
        return {r.req.pk for r in owner_client.get(url, {"q": "cpp"}).context["page"].rows}

    narrow = found()
    monkeypatch.setattr(selectors, "SEARCH_CAPS", {"insured": 0, "carrier": 0, "policy": 0})
    assert found() == narrow == {h.pk for h in hits}


def test_count_is_capped_unfiltered_exact_per_status_and_skipped_for_search(agency, monkeypatch):
    from vault import selectors

    for i in range(6):
        make(agency, created_at=NOW - dt.timedelta(minutes=i))
    for i in range(3):
        make(agency, received_on=dt.date(2025, 3, 1), created_at=NOW - dt.timedelta(hours=i + 1))
    monkeypatch.setattr(selectors, "COUNT_CAP", 4)
    page = selectors.request_page(agency=agency, now=NOW, per_page=2)
    assert (page.total, page.total_capped, page.has_next) == (4, True, True)
    monkeypatch.setattr(selectors, "COUNT_CAP", 100)
    page = selectors.request_page(agency=agency, now=NOW, per_page=2)
    assert (page.total, page.total_capped) == (9, False)
    for status, n in (("draft", 6), ("received", 3)):
        page = selectors.request_page(agency=agency, now=NOW, per_page=2, status=status)
        assert (page.total, page.total_capped) == (n, False)
    page = selectors.request_page(agency=agency, now=NOW, per_page=2, q="Insured")
    assert page.total is None and page.has_next
    page = selectors.request_page(agency=agency, now=NOW, per_page=50, q="Insured")
    assert page.total == 9 and not page.has_next


def test_csv_export_reads_in_chunks_with_each_rows_policies(owner_client, agency, monkeypatch):
    from vault import selectors

    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 2)
    reqs = [
        make(agency, policies=[f"P-{i}-A", f"P-{i}-B"], created_at=NOW - dt.timedelta(minutes=i))
        for i in range(5)
    ]
    rows = read_csv(owner_client.get(reverse("vault:export_csv")))
    assert [r[0] for r in rows[1:]] == [r.insured.legal_name for r in reqs]
    assert [r[4] for r in rows[1:]] == [f"P-{i}-A; P-{i}-B" for i in range(5)]


def test_vault_list_links_to_bulk_create(owner_client):
    response = owner_client.get(reverse("vault:list"))
    assert reverse("vault:bulk_upload") in response.content.decode()


def test_row_expansion_queries_do_not_grow_with_documents(owner_client, agency, owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import DocumentFactory, LossRunRequestFactory

    def queries_for(n_documents):
        req = LossRunRequestFactory(agency=agency, created_by=owner)
        for _ in range(n_documents):
            DocumentFactory(request=req, uploaded_by=owner)
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(reverse("vault:request_row", args=[req.pk])).status_code == 200
        return len(ctx.captured_queries)

    assert queries_for(1) == queries_for(4)
