"""Upload, download and the upload size limit, through the views."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from ops.storage import walk_files
from tests.factories import DocumentFactory, LossRunRequestFactory, OwnerFactory
from tests.vault.test_documents_helpers import EXE, PDF, PNG, upload
from vault.documents import document_create
from vault.models import Document
from vault.views_documents import UploadLimitHandler

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture
def req(agency):
    return LossRunRequestFactory(agency=agency)


def upload_url(req):
    return reverse("vault:document_upload", kwargs={"request_id": req.pk})


def stored_files():
    return list(walk_files(default_storage))


# Upload ---------------------------------------------------------------------------------


def test_upload_stores_the_document_and_redirects_with_a_message(owner_client, owner, req):
    response = owner_client.post(
        upload_url(req), {"kind": "auth_signed", "file": upload("Signed auth.pdf", PDF)}
    )
    doc = Document.objects.get()
    assert (doc.agency, doc.request, doc.uploaded_by) == (req.agency, req, owner)
    assert doc.kind == Document.Kind.AUTH_SIGNED and doc.original_name == "Signed auth.pdf"
    assert response.status_code == 302
    follow = owner_client.get(response["Location"])
    assert "Uploaded Signed auth.pdf." in follow.content.decode()


def test_upload_redirects_to_a_safe_next_only(owner_client, req):
    response = owner_client.post(
        upload_url(req), {"kind": "other", "file": upload("a.png", PNG), "next": "/vault/?q=x"}
    )
    assert response["Location"] == "/vault/?q=x"
    response = owner_client.post(
        upload_url(req),
        {"kind": "other", "file": upload("a.png", PNG), "next": "https://evil.example/"},
    )
    assert "evil" not in response["Location"]


def test_htmx_upload_returns_the_refreshed_panel(owner_client, req):
    response = owner_client.post(
        upload_url(req),
        {"kind": "loss_run", "file": upload("runs 2024.pdf", PDF)},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="docs-{req.pk}"' in html
    assert "runs 2024.pdf" in html and "Uploaded runs 2024.pdf." in html
    doc = Document.objects.get()
    assert reverse("vault:document_download", kwargs={"document_id": doc.pk}) in html


def test_wrong_type_shows_the_reason_and_keeps_the_kind(owner_client, req):
    response = owner_client.post(
        upload_url(req),
        {"kind": "proof_bill", "file": upload("bill.pdf", EXE)},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "which is not accepted" in html and "PDF, PNG, JPEG, TIFF, CSV or XLSX" in html
    assert '<option value="proof_bill" selected>' in html
    assert not Document.objects.exists() and not stored_files()


def test_missing_file_is_a_field_error(owner_client, req):
    response = owner_client.post(upload_url(req), {"kind": "other"})
    assert response.status_code == 200
    assert "Choose a file to upload." in response.content.decode()


def test_get_shows_the_documents_page(owner_client, req):
    DocumentFactory(request=req, original_name="already.pdf")
    response = owner_client.get(upload_url(req))
    html = response.content.decode()
    assert response.status_code == 200
    assert "already.pdf" in html
    assert 'enctype="multipart/form-data"' in html and 'hx-encoding="multipart/form-data"' in html
    assert "Authorization letter (PDF)" in html


def test_upload_to_another_agencys_request_is_404(owner_client, other_agency):
    theirs = LossRunRequestFactory(agency=other_agency)
    response = owner_client.post(
        upload_url(theirs), {"kind": "other", "file": upload("a.pdf", PDF)}
    )
    assert response.status_code == 404
    assert owner_client.get(upload_url(theirs)).status_code == 404
    assert not Document.objects.exists()


def test_upload_needs_sign_in(client, req):
    response = client.post(upload_url(req), {"kind": "other", "file": upload("a.pdf", PDF)})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Document.objects.exists()


def test_upload_still_checks_csrf(req, owner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(upload_url(req), {"kind": "other", "file": upload("a.pdf", PDF)})
    assert response.status_code == 403
    assert not Document.objects.exists()


# The size limit, before the body is stored ------------------------------------------


class SpyHandler(FileUploadHandler):
    """Installed before Django's storing handlers: counts the file bytes that reach them."""

    seen = 0

    def receive_data_chunk(self, raw_data, start):
        SpyHandler.seen += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def spy(settings):
    SpyHandler.seen = 0
    settings.FILE_UPLOAD_HANDLERS = [
        "tests.vault.test_documents_views.SpyHandler",
        *settings.FILE_UPLOAD_HANDLERS,
    ]
    return SpyHandler


@pytest.mark.parametrize(
    ("size", "message", "max_seen"),
    [
        (MB + 1, "This file is larger than 1 MB; the largest accepted upload is 1 MB.", MB),
        (int(1.5 * MB), "This file is 1.5 MB; the largest accepted upload is 1 MB.", 0),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_oversized_upload_is_refused_with_a_clear_message(
    owner_client, req, settings, spy, size, message, max_seen, htmx
):
    settings.MAX_UPLOAD_BYTES = MB
    headers = {"HX-Request": "true"} if htmx else {}
    response = owner_client.post(
        upload_url(req),
        {"kind": "loss_run", "file": upload("huge.pdf", PDF.ljust(size, b"0"))},
        headers=headers,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Choose a file to upload." not in html
    assert '<option value="loss_run" selected>' in html
    assert not Document.objects.exists() and not stored_files()
    # The body was cut off in the handler chain: the storing handlers saw (almost) nothing.
    assert spy.seen <= max_seen


def test_a_file_just_at_the_limit_is_accepted(owner_client, req, settings, spy):
    settings.MAX_UPLOAD_BYTES = MB
    owner_client.post(
        upload_url(req), {"kind": "other", "file": upload("a.pdf", PDF.ljust(MB, b"0"))}
    )
    assert Document.objects.get().size == MB
    assert spy.seen == MB


def test_default_limit_is_50_mb():
    assert UploadLimitHandler().limit == 50 * MB


class Recorder:
    """A handler after the limit: whatever reaches it would be stored."""

    chunk_size = 64 * 1024

    def __init__(self):
        self.received = 0

    def handle_raw_input(self, *args, **kwargs):
        return None

    def new_file(self, *args, **kwargs):
        pass

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data

    def file_complete(self, size):
        return None

    def upload_complete(self):
        return None

    def upload_interrupted(self):
        pass


class FakeRequest:
    pass


def parse(body: bytes, limit: int):
    request = FakeRequest()
    recorder = Recorder()
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handlers = [UploadLimitHandler(request, limit=limit), recorder]
    post, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    return request, recorder, post, files


def test_handler_refuses_by_content_length_before_any_byte_is_passed_on():
    body = encode_multipart(BOUNDARY, {"kind": "loss_run", "file": upload("a.pdf", b"0" * 3 * MB)})
    request, recorder, post, files = parse(body, limit=MB)
    assert recorder.received == 0
    assert request.upload_refused_size == len(body)
    assert post["kind"] == "loss_run" and "file" not in files


def test_handler_counts_bytes_and_stops_at_the_limit():
    body = encode_multipart(BOUNDARY, {"file": upload("a.pdf", b"0" * (MB + 10))})
    request, recorder, post, files = parse(body, limit=MB)
    assert recorder.received <= MB
    assert request.upload_refused_size > MB and "file" not in files
    handler = UploadLimitHandler(None, limit=10)
    assert handler.receive_data_chunk(b"x" * 8, 0) == b"x" * 8
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 8, 8)


def test_handler_lets_a_small_file_through():
    body = encode_multipart(BOUNDARY, {"file": upload("a.pdf", b"0" * 1000)})
    request, recorder, post, files = parse(body, limit=MB)
    assert recorder.received == 1000
    assert not hasattr(request, "upload_refused_size")


# Download ---------------------------------------------------------------------------


def download_url(doc):
    return reverse("vault:document_download", kwargs={"document_id": doc.pk})


def test_download_serves_an_attachment_with_the_detected_type(owner_client, owner, req):
    doc = document_create(
        agency=req.agency,
        uploaded_by=owner,
        uploaded_file=upload("../Sign\u00e9d auth.html", PDF),
        kind=Document.Kind.AUTH_SIGNED,
        request=req,
    )
    response = owner_client.get(download_url(doc))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Sign%C3%A9d%20auth.html" in disposition
    assert "../" not in disposition


def test_download_of_another_agencys_document_is_404(owner_client, other_agency):
    theirs = DocumentFactory(request=LossRunRequestFactory(agency=other_agency))
    assert owner_client.get(download_url(theirs)).status_code == 404
    assert owner_client.get("/vault/documents/999999/download/").status_code == 404


def test_download_needs_sign_in_and_an_agency(client, req):
    doc = DocumentFactory(request=req)
    response = client.get(download_url(doc))
    assert response.status_code == 302
    other_owner = OwnerFactory()
    client.force_login(other_owner)
    assert client.get(download_url(doc)).status_code == 404


def test_download_of_a_missing_file_is_404(owner_client, req):
    doc = DocumentFactory(request=req)
    doc.file.delete(save=False)
    assert owner_client.get(download_url(doc)).status_code == 404


def count_queries(func) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("htmx", [True, False])
def test_documents_panel_queries_do_not_grow_with_documents(owner_client, req, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    DocumentFactory(request=req)
    one = count_queries(lambda: owner_client.get(upload_url(req), headers=headers))
    DocumentFactory.create_batch(6, request=req)
    seven = count_queries(lambda: owner_client.get(upload_url(req), headers=headers))
    assert one == seven
    assert one <= 6


def test_large_upload_streamed_to_a_temporary_file_is_stored_whole(owner_client, req, settings):
    settings.MAX_UPLOAD_BYTES = 4 * MB
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = MB  # bigger files go through a temporary file
    data = PDF.ljust(3 * MB, b"7")
    owner_client.post(upload_url(req), {"kind": "loss_run", "file": upload("runs.pdf", data)})
    doc = Document.objects.get()
    import hashlib

    assert doc.size == 3 * MB and doc.sha256 == hashlib.sha256(data).hexdigest()
    with doc.file.open("rb") as fh:
        assert fh.read() == data


def test_partial_renders_with_just_req_and_documents(rf, owner, agency):
    """How the vault row and the edit page include it: only `req` and `documents` given."""
    from django.template.loader import render_to_string

    first, second = LossRunRequestFactory(agency=agency), LossRunRequestFactory(agency=agency)
    DocumentFactory(request=first, original_name="signed.pdf")
    request = rf.get("/vault/")
    request.user = owner
    request.htmx = False
    html = "".join(
        render_to_string(
            "vault/documents/_request_documents.html",
            {"req": req, "documents": req.documents.all()},
            request=request,
        )
        for req in (first, second)
    )
    assert "signed.pdf" in html
    assert f'id="id_doc{first.pk}_kind"' in html and f'id="id_doc{second.pk}_kind"' in html
    assert html.count('<option value="auth_signed" selected>') == 2
    assert reverse("vault:authorization_letter", kwargs={"request_id": second.pk}) in html
