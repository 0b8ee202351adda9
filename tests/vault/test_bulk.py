"""Bulk create: parsing, per-row errors, grouping, all-or-nothing commit, views."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import CarrierFactory, InsuredFactory, LossRunRequestFactory
from tests.vault.test_documents_helpers import PDF, upload
from vault import bulk
from vault.models import Document, Insured, LossRunRequest, Policy

pytestmark = pytest.mark.django_db
HEADER = "insured,carrier,policy_numbers,line,term_start,term_end,years_requested\r\n"


@pytest.fixture
def carriers(agency, other_agency):
    return {
        "granite": CarrierFactory(legal_name="Granite State Mutual", naic_code="24571"),
        "hartford": CarrierFactory(legal_name="Hartford Fire Insurance Company", naic_code="19682"),
        "private": CarrierFactory(agency=agency, legal_name="Local Farmers Mutual", naic_code=""),
        "theirs": CarrierFactory(
            agency=other_agency, legal_name="Secret Mutual", naic_code="77777"
        ),
    }


def parse(agency, body: str, header: str = HEADER, encoding: str = "utf-8"):
    return bulk.bulk_parse(agency=agency, data=(header + body).encode(encoding))


def test_valid_file_groups_rows_into_requests(agency, carriers):
    existing = InsuredFactory(agency=agency, legal_name="Blue Heron Bakery LLC")
    plan = parse(
        agency,
        "blue heron bakery llc,24571,BOP-1;UMB-2,BOP,2025-04-01,2026-04-01,3\r\n"
        "Blue Heron Bakery LLC,Granite State Mutual,BOP-1,BOP,04/01/2024,04/01/2025,\r\n"
        "Quarry Road Auto,hartford fire insurance company,WC-9,workers comp,2025-01-01,2026-01-01,\r\n"
        "Quarry Road Auto,Local Farmers Mutual,GL-5,,2025-01-01,2026-01-01,7\r\n",
    )
    assert plan.errors == []
    assert plan.ok
    assert len(plan.groups) == 3
    heron = plan.groups[0]
    assert heron.insured == existing and heron.carrier == carriers["granite"]
    assert [p.policy_number for p in heron.policies] == ["BOP-1", "UMB-2", "BOP-1"]
    assert heron.policies[2].term_start == dt.date(2024, 4, 1)
    assert heron.years_requested == 3 and heron.row_numbers == [2, 3]
    auto_wc, auto_gl = plan.groups[1], plan.groups[2]
    assert auto_wc.carrier == carriers["hartford"] and auto_wc.policies[0].line_of_business == "WC"
    # No years given: the years its one term covers, as in the Request Builder (not 5).
    assert auto_wc.years_requested == 1 and auto_wc.years_from_terms
    assert not heron.years_from_terms
    assert auto_gl.carrier == carriers["private"] and auto_gl.years_requested == 7
    assert auto_gl.policies[0].line_of_business == Policy.Line.OTHER
    assert plan.new_insured_names == ["Quarry Road Auto"]


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            "Acme,Acme,GL-1,GL,2025-01-01,2026-01-01,",
            "row 2: carrier 'Acme' not found — add it first or use its NAIC code",
        ),
        (
            "Acme,Secret Mutual,GL-1,GL,2025-01-01,2026-01-01,",
            "row 2: carrier 'Secret Mutual' not found — add it first or use its NAIC code",
        ),
        (
            "Acme,24571,GL-1,GL,2023-02-30,2026-01-01,",
            "row 2: term_start 2023-02-30 is not a date (use YYYY-MM-DD or MM/DD/YYYY)",
        ),
        (
            "Acme,24571,GL-1,GL,2025-01-01,13/45/2026,",
            "row 2: term_end 13/45/2026 is not a date (use YYYY-MM-DD or MM/DD/YYYY)",
        ),
        (
            "Acme,24571,GL-1,GL,2025-01-01,2024-01-01,",
            "row 2: term_end 2024-01-01 is not after term_start 2025-01-01",
        ),
        ("Acme,24571,,GL,2025-01-01,2026-01-01,", "row 2: policy_number is missing"),
        ("Acme,24571, ; ,GL,2025-01-01,2026-01-01,", "row 2: policy_number is missing"),
        (",24571,GL-1,GL,2025-01-01,2026-01-01,", "row 2: insured is missing"),
        (
            "Acme,,GL-1,GL,2025-01-01,2026-01-01,",
            "row 2: carrier is missing (its name or NAIC code)",
        ),
        (
            "Acme,24571,GL-1,GL,,2026-01-01,",
            "row 2: term_start is missing (use YYYY-MM-DD or MM/DD/YYYY)",
        ),
        (
            "Acme,24571,GL-1,Marine,2025-01-01,2026-01-01,",
            "row 2: line 'Marine' is not a line of business "
            "(use one of GL, PROP, AUTO, WC, UMB, BOP, PROF, OTHER)",
        ),
        (
            "Acme,24571,GL-1,GL,2025-01-01,2026-01-01,30",
            "row 2: years_requested 30 is not a whole number from 1 to 20",
        ),
        (
            "Acme,24571,GL-1,GL,2025-01-01,2026-01-01,five",
            "row 2: years_requested five is not a whole number from 1 to 20",
        ),
    ],
)
def test_each_bad_row_gets_a_clear_error(agency, carriers, row, error):
    plan = parse(agency, row + "\r\n")
    assert plan.errors == [error]
    assert not plan.ok and plan.groups == []


def test_errors_name_the_spreadsheet_row_and_good_rows_still_show(agency, carriers):
    plan = parse(
        agency,
        "Acme,24571,GL-1,GL,2025-01-01,2026-01-01,\r\n"
        "\r\n"
        "Acme,24571,GL-2,GL,2025-01-01,2026-01-01,\r\n"
        "Acme,Acme,GL-3,GL,2025-01-01,2026-01-01,\r\n",
    )
    assert plan.errors == ["row 5: carrier 'Acme' not found — add it first or use its NAIC code"]
    assert [r.number for r in plan.rows] == [2, 4, 5]
    assert not plan.ok


def test_same_policy_and_term_twice_and_conflicting_years(agency, carriers):
    plan = parse(
        agency,
        "Acme,24571,GL-1,GL,2025-01-01,2026-01-01,5\r\n"
        "Acme,24571,gl-1,GL,2025-01-01,2026-01-01,5\r\n"
        "Acme,24571,GL-2,GL,2025-01-01,2026-01-01,3\r\n",
    )
    assert plan.errors == [
        "row 3: policy gl-1 with the same term is already on row 2",
        "row 4: years_requested 3 differs from 5 on row 2 for the same insured and carrier",
    ]


def test_carrier_name_shared_by_two_carriers_asks_for_naic(agency, carriers):
    CarrierFactory(agency=agency, legal_name="Granite State Mutual", naic_code="99999")
    plan = parse(agency, "Acme,granite state mutual,GL-1,GL,2025-01-01,2026-01-01,\r\n")
    assert plan.errors == [
        "row 2: carrier 'granite state mutual' matches 2 carriers — use its NAIC code"
    ]
    assert parse(agency, "Acme,24571,GL-1,GL,2025-01-01,2026-01-01,\r\n").ok


def test_header_aliases_bom_semicolons_and_windows_encoding(agency, carriers):
    header = "Named Insured;NAIC;Policy Number(s);Line of Business;Effective;Expiration\r\n"
    body = "Caf\u00e9 Soleil;24571;GL-1;General liability;01/01/2025;01/01/2026\r\n"
    plan = bulk.bulk_parse(agency=agency, data=b"\xef\xbb\xbf" + (header + body).encode())
    assert plan.ok and plan.groups[0].insured_name == "Caf\u00e9 Soleil"
    plan = bulk.bulk_parse(agency=agency, data=(header + body).encode("cp1252"))
    assert plan.ok and plan.groups[0].insured_name == "Caf\u00e9 Soleil"


def test_missing_columns_and_empty_files_are_explained(agency, carriers):
    plan = parse(agency, "", header="insured,policy\r\n")
    assert plan.file_errors[0].startswith(
        "The file has no 'carrier', 'term_start', 'term_end' columns"
    )
    assert parse(agency, "").file_errors == ["The file has no rows below the column names."]
    assert bulk.bulk_parse(agency=agency, data=b"").file_errors[0].startswith("The file is empty")


def test_row_limit(agency, carriers, monkeypatch):
    monkeypatch.setattr("vault.bulk.reading.MAX_ROWS", 3)
    row = "Acme,24571,GL-{n},GL,2025-01-01,2026-01-01,\r\n"
    assert parse(agency, "".join(row.format(n=n) for n in range(3))).ok
    plan = parse(agency, "".join(row.format(n=n) for n in range(4)))
    assert plan.file_errors == [
        "The file has more than 3 rows. Split it into files of at most 3 rows and import them one by one."
    ]
    assert not plan.ok


def test_default_row_limit_is_2000():
    assert bulk.MAX_ROWS == 2000


def test_template_csv_parses_once_its_carriers_exist(agency):
    CarrierFactory(legal_name="Example Mutual Insurance Company", naic_code="12345")
    plan = bulk.bulk_parse(agency=agency, data=bulk.template_csv().encode())
    assert plan.ok and len(plan.groups) == 1 and len(plan.groups[0].policies) == 3


# Commit -----------------------------------------------------------------------------


def store(agency, user, text: str) -> Document:
    return bulk.bulk_file_store(
        agency=agency, user=user, uploaded_file=upload("renewals.csv", (HEADER + text).encode())
    )


GOOD = (
    "Blue Heron Bakery LLC,24571,BOP-1;UMB-2,BOP,2025-04-01,2026-04-01,3\r\n"
    "Quarry Road Auto,19682,WC-9,WC,2025-01-01,2026-01-01,\r\n"
    "Quarry Road Auto,Local Farmers Mutual,GL-5,GL,2025-01-01,2026-01-01,\r\n"
)


def test_commit_creates_insureds_and_requests_through_the_service(agency, owner, carriers):
    InsuredFactory(agency=agency, legal_name="Blue Heron Bakery LLC")
    doc = store(agency, owner, GOOD)
    created = bulk.bulk_commit(agency=agency, user=owner, document=doc)
    assert len(created) == 3
    assert Insured.objects.filter(agency=agency).count() == 2
    heron = LossRunRequest.objects.get(insured__legal_name="Blue Heron Bakery LLC")
    assert heron.agency == agency and heron.created_by == owner and heron.years_requested == 3
    assert sorted(heron.policies.values_list("policy_number", flat=True)) == ["BOP-1", "UMB-2"]
    assert heron.recipient_email == owner.email
    assert heron.next_due_at is not None  # the tracker schedule was refreshed
    assert all(p.agency_id == agency.pk for p in Policy.objects.all())
    # The kept CSV is gone with the commit, so the file cannot be imported twice.
    assert not Document.objects.filter(pk=doc.pk).exists()
    with pytest.raises(bulk.BulkAlreadyImported, match="already imported"):
        bulk.bulk_commit(agency=agency, user=owner, document=doc)
    assert LossRunRequest.objects.count() == 3


def test_commit_with_a_bad_row_creates_nothing(agency, owner, carriers):
    doc = store(agency, owner, GOOD + "Acme,Acme,GL-1,GL,2025-01-01,2026-01-01,\r\n")
    with pytest.raises(bulk.BulkInvalid) as exc:
        bulk.bulk_commit(agency=agency, user=owner, document=doc)
    assert exc.value.plan.errors == [
        "row 5: carrier 'Acme' not found — add it first or use its NAIC code"
    ]
    assert not LossRunRequest.objects.exists() and not Insured.objects.exists()
    assert Document.objects.filter(pk=doc.pk).exists()


def test_commit_is_all_or_nothing_when_a_later_step_fails(agency, owner, carriers, monkeypatch):
    """The schedules are computed after the insureds are inserted: a failure there leaves
    no insured, request or policy, and keeps the file."""
    from django.core.exceptions import ValidationError

    from vault import services

    def refuse(requests, *, agency):
        assert Insured.objects.filter(agency=agency).count() == 2  # written before this step
        raise ValidationError("The scheduler refused.")

    monkeypatch.setattr(services, "schedule_new", refuse)
    doc = store(agency, owner, GOOD)
    with pytest.raises(bulk.BulkInvalid) as exc:
        bulk.bulk_commit(agency=agency, user=owner, document=doc)
    assert exc.value.plan.errors == ["The scheduler refused."]
    assert not LossRunRequest.objects.exists()
    assert not Insured.objects.exists()
    assert not Policy.objects.exists()
    assert Document.objects.filter(pk=doc.pk).exists()


def test_commit_of_2000_requests_runs_in_a_bounded_number_of_queries(
    agency, owner, carriers, django_assert_max_num_queries
):
    rows = "".join(
        f"Insured {n} LLC,24571,GL-{n};UMB-{n},GL,2025-01-01,2026-01-01,5\r\n"
        for n in range(bulk.MAX_ROWS)
    )
    doc = store(agency, owner, rows)
    # Batched inserts: SQLite caps a statement at 999 parameters (about 40 rows of a request,
    # its history and policies), PostgreSQL does 500 a statement. Before: about 10 a request.
    # (The owner and 1st-request due columns, issue 18, make SQLite's batches a little smaller.)
    with django_assert_max_num_queries(170):
        created = bulk.bulk_commit(agency=agency, user=owner, document=doc)
    assert len(created) == 2000
    assert Policy.objects.filter(agency=agency).count() == 4000
    assert LossRunRequest.history.filter(agency=agency).count() == 2000
    assert not LossRunRequest.objects.filter(agency=agency, next_due_at__isnull=True).exists()


def test_the_second_of_two_concurrent_commits_gets_a_clear_message(
    owner_client, agency, owner, carriers, monkeypatch
):
    """Both requests found the kept file; the first commits and removes it, the second then
    finds it gone under the lock: one import, and a message instead of a 500."""
    doc = store(agency, owner, GOOD)
    stale = Document.objects.get(pk=doc.pk)
    url = reverse("vault:bulk_commit", kwargs={"document_id": doc.pk})
    assert owner_client.post(url).status_code == 302
    monkeypatch.setattr(bulk, "bulk_file_get", lambda **kwargs: stale)
    r = owner_client.post(url, follow=True)
    assert r.status_code == 200
    assert "was already imported" in r.content.decode()
    assert LossRunRequest.objects.count() == 3


def test_preview_reads_only_the_rows_it_needs(agency, owner, carriers, monkeypatch):
    """A file far past MAX_ROWS is read as a stream: the plan stops after MAX_ROWS rows."""
    import io

    line = b"Insured LLC,24571,GL-1,GL,2025-01-01,2026-01-01,5\r\n"
    body = HEADER.encode() + line * (bulk.MAX_ROWS * 20)
    handle = io.BytesIO(body)
    plan = bulk.bulk_parse(agency=agency, data=handle)
    assert any("more than 2,000 rows" in e for e in plan.errors)
    assert handle.tell() < len(body) // 5


def test_store_refuses_files_that_are_not_csv(agency, owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not a CSV"):
        bulk.bulk_file_store(agency=agency, user=owner, uploaded_file=upload("r.csv", PDF))
    assert not Document.objects.exists()


def test_bulk_file_get_only_returns_the_agencys_import_csvs(agency, other_agency, owner):
    from django.http import Http404

    from tests.factories import DocumentFactory

    doc = store(agency, owner, GOOD)
    assert bulk.bulk_file_get(agency=agency, document_id=doc.pk) == doc
    with pytest.raises(Http404):
        bulk.bulk_file_get(agency=other_agency, document_id=doc.pk)
    signed = DocumentFactory(request=LossRunRequestFactory(agency=agency))
    with pytest.raises(Http404):
        bulk.bulk_file_get(agency=agency, document_id=signed.pk)


# Views ------------------------------------------------------------------------------


def test_upload_preview_commit_through_the_pages(owner_client, agency, carriers):
    page = owner_client.get(reverse("vault:bulk_upload"))
    assert page.status_code == 200 and "Download the CSV template" in page.content.decode()
    response = owner_client.post(
        reverse("vault:bulk_upload"), {"file": upload("renewals.csv", (HEADER + GOOD).encode())}
    )
    doc = Document.objects.get()
    assert response["Location"] == reverse("vault:bulk_preview", kwargs={"document_id": doc.pk})
    preview = owner_client.get(response["Location"]).content.decode()
    assert "Ready: 3 requests with 4 policies" in preview
    assert "Quarry Road Auto" in preview and "Blue Heron Bakery LLC" in preview
    response = owner_client.post(reverse("vault:bulk_commit", kwargs={"document_id": doc.pk}))
    assert response.status_code == 302
    assert LossRunRequest.objects.filter(agency=agency).count() == 3
    again = owner_client.post(reverse("vault:bulk_commit", kwargs={"document_id": doc.pk}))
    assert again.status_code == 404
    assert LossRunRequest.objects.count() == 3


def test_preview_shows_row_errors_and_no_commit_button(owner_client, owner, agency, carriers):
    doc = store(agency, owner, GOOD + "Acme,24571,GL-1,GL,2023-02-30,2026-01-01,\r\n")
    html = owner_client.get(
        reverse("vault:bulk_preview", kwargs={"document_id": doc.pk})
    ).content.decode()
    assert "1 problem to fix" in html
    assert "row 5: term_start 2023-02-30 is not a date (use YYYY-MM-DD or MM/DD/YYYY)" in html
    assert reverse("vault:bulk_commit", kwargs={"document_id": doc.pk}) not in html
    response = owner_client.post(reverse("vault:bulk_commit", kwargs={"document_id": doc.pk}))
    assert response.status_code == 400
    assert "Nothing was created" in response.content.decode()
    assert not LossRunRequest.objects.exists()


def test_bulk_upload_of_a_pdf_is_a_field_error(owner_client):
    response = owner_client.post(reverse("vault:bulk_upload"), {"file": upload("r.csv", PDF)})
    assert response.status_code == 200
    assert "not a CSV" in response.content.decode()
    assert not Document.objects.exists()


def test_bulk_upload_over_the_limit_is_refused_before_storing(owner_client, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    big = (HEADER + "x" * (2 * 1024 * 1024)).encode()
    response = owner_client.post(reverse("vault:bulk_upload"), {"file": upload("r.csv", big)})
    assert "the largest accepted upload is 1 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_bulk_pages_of_another_agency_are_404(owner_client, other_agency, carriers):
    from tests.factories import OwnerFactory

    doc = store(other_agency, OwnerFactory(agency=other_agency), GOOD)
    assert (
        owner_client.get(reverse("vault:bulk_preview", kwargs={"document_id": doc.pk})).status_code
        == 404
    )
    assert (
        owner_client.post(reverse("vault:bulk_commit", kwargs={"document_id": doc.pk})).status_code
        == 404
    )


def test_template_download(owner_client):
    response = owner_client.get(reverse("vault:bulk_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.decode().startswith(",".join(bulk.TEMPLATE_HEADER))


def test_commit_needs_post_and_resolves_the_agency_first(owner_client, owner, agency, other_agency):
    from tests.factories import OwnerFactory

    mine = store(agency, owner, GOOD)
    theirs = store(other_agency, OwnerFactory(agency=other_agency), GOOD)
    assert (
        owner_client.get(reverse("vault:bulk_commit", kwargs={"document_id": mine.pk})).status_code
        == 405
    )
    assert (
        owner_client.get(
            reverse("vault:bulk_commit", kwargs={"document_id": theirs.pk})
        ).status_code
        == 404
    )
    assert not LossRunRequest.objects.exists()


def test_parse_queries_do_not_grow_with_rows(agency, carriers, django_assert_num_queries):
    small = "".join(f"Insured {n},24571,GL-{n},GL,2025-01-01,2026-01-01,\r\n" for n in range(3))
    large = "".join(
        f"Insured {n},{'24571' if n % 2 else 'Hartford Fire Insurance Company'},GL-{n},GL,"
        "2025-01-01,2026-01-01,\r\n"
        for n in range(300)
    )
    with django_assert_num_queries(2):  # carriers, insureds
        parse(agency, small)
    with django_assert_num_queries(2):
        assert len(parse(agency, large).groups) == 300


TERMS_ONLY = (
    "Coastal Brew Co,24571,GL-1,GL,2023-01-01,2024-01-01,\r\n"
    "Coastal Brew Co,24571,GL-2,GL,2024-01-01,2025-01-01,\r\n"
    "Coastal Brew Co,24571,GL-3,GL,2025-01-01,2026-01-01,\r\n"
    "Tidewater Marine,19682,WC-1,WC,2025-06-01,2026-06-01,\r\n"
)


def test_empty_years_ask_for_the_years_the_terms_cover_in_preview_and_requests(
    owner_client, owner, agency, carriers
):
    """Like the Request Builder: three annual terms ask for 3 years, one term for 1 (the
    old flat default of 5 made a one-policy letter print "Years requested: 5")."""
    doc = store(agency, owner, TERMS_ONLY)
    page = owner_client.get(reverse("vault:bulk_preview", kwargs={"document_id": doc.pk})).text
    years = [
        cell.split("</span></td>")[0]
        for cell in page.split('<td data-label="Years" class="num"><span>')[1:]
    ]
    from_terms = ' <span class="muted small nowrap">from the terms</span>'
    assert years == [f"3{from_terms}"] * 3 + [f"1{from_terms}"]
    # The terms in the product's one date format, whatever format the file used.
    assert '<td data-label="Term"><span>Jan 1, 2023 – Jan 1, 2024</span></td>' in page
    bulk.bulk_commit(agency=agency, user=owner, document=doc)
    by_insured = dict(LossRunRequest.objects.values_list("insured__legal_name", "years_requested"))
    assert by_insured == {"Coastal Brew Co": 3, "Tidewater Marine": 1}


def test_years_typed_on_one_row_apply_to_its_request_and_are_not_from_the_terms(agency, carriers):
    plan = parse(
        agency,
        "Coastal Brew Co,24571,GL-1,GL,2024-01-01,2025-01-01,\r\n"
        "Coastal Brew Co,24571,GL-2,GL,2025-01-01,2026-01-01,5\r\n",
    )
    (group,) = plan.groups
    assert group.years_requested == 5 and not group.years_from_terms
    assert [(r.years_planned, r.years_from_terms) for r in plan.rows] == [(5, False)] * 2
