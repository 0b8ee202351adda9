"""vault.documents: type by content, size limit, sanitised names, hashing, tenancy."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404

from ops.storage import walk_files
from tests.factories import DocumentFactory, LossRunRequestFactory
from tests.s3 import is_s3, object_grants
from tests.vault.test_documents_helpers import (
    CSV,
    ELF,
    EXE,
    HTML,
    JPEG,
    PDF,
    PNG,
    TIFF,
    upload,
    xlsm_bytes,
    xlsx_bytes,
    zip_bytes,
)
from vault.documents import (
    clean_original_name,
    document_create,
    document_get,
    documents_for_request,
    size_text,
    stored_name_for,
    too_large_message,
)
from vault.models import Document

pytestmark = pytest.mark.django_db


def create(agency, user, f, **kwargs):
    kwargs.setdefault("kind", Document.Kind.OTHER)
    return document_create(agency=agency, uploaded_by=user, uploaded_file=f, **kwargs)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("signed.pdf", PDF, "application/pdf"),
        ("scan.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("fax.tiff", TIFF, "image/tiff"),
        ("runs.xlsx", None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("claims.csv", CSV, "text/csv"),
    ],
)
def test_accepted_types_are_detected_by_content(agency, owner, name, data, content_type):
    data = xlsx_bytes() if data is None else data
    # The name says nothing: every file is uploaded as "file.bin".
    doc = create(agency, owner, upload("file.bin", data))
    assert doc.content_type == content_type
    assert doc.size == len(data)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    with doc.file.open("rb") as fh:
        assert fh.read() == data


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (EXE, "EXE"),
        (ELF, "ELF"),
        (HTML, "not a document type we recognise"),
        (b"plain words and no columns at all", "not a document type we recognise"),
        (b"a,b\x00,c\n1,2,3\n", "not a document type we recognise"),
        ("zip", "ZIP archive that is not an Excel workbook"),
        ("xlsm", "Excel workbook with macros (XLSM)"),
        (b"PK\x03\x04" + b"\x00" * 60, "damaged ZIP archive"),
    ],
)
def test_other_content_is_refused_whatever_the_name(agency, owner, data, phrase):
    data = {"zip": zip_bytes, "xlsm": xlsm_bytes}[data]() if isinstance(data, str) else data
    with pytest.raises(ValidationError) as exc:
        create(agency, owner, upload("signed.pdf", data, "application/pdf"))
    message = exc.value.messages[0]
    assert phrase in message
    assert "PDF, PNG, JPEG, TIFF, CSV or XLSX" in message
    assert not Document.objects.exists()
    assert not list(walk_files(default_storage))


def test_executable_renamed_pdf_is_refused(agency, owner):
    with pytest.raises(ValidationError, match="not accepted"):
        create(agency, owner, upload("authorization.pdf", EXE, "application/pdf"))


def test_csv_in_windows_encoding_and_with_bom_is_accepted(agency, owner):
    cp1252 = "insured,carrier\r\nCaf\u00e9 Soleil,12345\r\n".encode("cp1252")
    assert create(agency, owner, upload("a.csv", cp1252)).content_type == "text/csv"
    bom = b"\xef\xbb\xbf" + CSV
    assert create(agency, owner, upload("b.csv", bom)).content_type == "text/csv"


def test_the_stored_extension_comes_from_the_content(agency, owner):
    doc = create(agency, owner, upload("invoice.exe", PDF))
    assert doc.file.name.endswith(".pdf")
    assert doc.original_name == "invoice.exe"


def test_size_limit_is_50_mb_by_default():
    assert settings.MAX_UPLOAD_BYTES == 50 * 1024 * 1024


def test_oversize_is_refused_with_the_size_in_the_message(agency, owner, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        create(agency, owner, upload("big.pdf", PDF.ljust(2150, b"0")))
    assert exc.value.messages == ["This file is 2.1 KB; the largest accepted upload is 1 KB."]
    assert not Document.objects.exists()
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    assert create(agency, owner, upload("ok.pdf", PDF + b"0" * 2000)).size == len(PDF) + 2000


def test_too_large_message_wording():
    mb = 1024 * 1024
    assert too_large_message(int(63.2 * mb), 50 * mb) == (
        "This file is 63.2 MB; the largest accepted upload is 50 MB."
    )
    assert too_large_message(50 * mb + 10, 50 * mb) == (
        "This file is larger than 50 MB; the largest accepted upload is 50 MB."
    )
    assert size_text(812 * 1024) == "812 KB"


def test_empty_file_is_refused(agency, owner):
    with pytest.raises(ValidationError, match="empty"):
        create(agency, owner, upload("empty.pdf", b""))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\Desktop\\signed.pdf", "signed.pdf"),
        ("r\u00e9sum\u00e9 \u00e9t\u00e9.pdf", "r\u00e9sum\u00e9 \u00e9t\u00e9.pdf"),
        ("bad\x00na\r\nme\u202e.pdf", "badname.pdf"),
        ("..", "upload"),
        ("", "upload"),
    ],
)
def test_original_name_is_cleaned(given, expected):
    assert clean_original_name(given) == expected


def test_very_long_names_are_capped_and_keep_the_extension():
    name = clean_original_name("x" * 500 + ".pdf")
    assert len(name) == 200 and name.endswith(".pdf")
    stored = stored_name_for(name, "pdf")
    assert len(stored) < 120 and stored.endswith(".pdf")


def test_stored_name_is_random_and_safe(agency, owner):
    first = create(agency, owner, upload("../../etc/passwd", PDF))
    second = create(agency, owner, upload("../../etc/passwd", PDF))
    assert first.original_name == "passwd"
    assert ".." not in first.file.name
    assert first.file.name.startswith(f"agency/{agency.pk}/")
    assert first.file.name != second.file.name
    unicode_doc = create(agency, owner, upload("Pr\u00fcfung <1>;rm -rf.pdf", PDF))
    assert unicode_doc.original_name == "Pr\u00fcfung <1>;rm -rf.pdf"
    assert "<" not in unicode_doc.file.name and ";" not in unicode_doc.file.name


def test_files_are_stored_privately_outside_static(agency, owner):
    doc = create(agency, owner, upload("a.pdf", PDF))
    if is_s3(default_storage):
        grants = object_grants(default_storage, doc.file.name)
        assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
        assert all(g["Grantee"]["Type"] == "CanonicalUser" for g in grants)
        return
    path = Path(doc.file.path).resolve()
    assert path.is_relative_to(Path(settings.DOCUMENT_ROOT).resolve())
    assert not path.is_relative_to((settings.BASE_DIR / "static").resolve())


def test_request_documents_default_the_insured_and_must_be_the_agencys(agency, other_agency, owner):
    req = LossRunRequestFactory(agency=agency)
    doc = create(agency, owner, ContentFile(PDF, name="a.pdf"), request=req)
    assert doc.insured == req.insured
    foreign = LossRunRequestFactory(agency=other_agency)
    with pytest.raises(ValueError):
        create(agency, owner, ContentFile(PDF, name="a.pdf"), request=foreign)


def test_unknown_kind_is_refused(agency, owner):
    with pytest.raises(ValidationError):
        create(agency, owner, upload("a.pdf", PDF), kind="nonsense")


def test_document_get_is_scoped_to_the_agency(agency, other_agency):
    mine = DocumentFactory(request=LossRunRequestFactory(agency=agency))
    theirs = DocumentFactory(request=LossRunRequestFactory(agency=other_agency))
    assert document_get(agency=agency, document_id=mine.pk) == mine
    with pytest.raises(Http404):
        document_get(agency=agency, document_id=theirs.pk)
    with pytest.raises(Http404):
        document_get(agency=agency, document_id=999999)


def test_documents_for_request(agency, django_assert_num_queries):
    req = LossRunRequestFactory(agency=agency)
    DocumentFactory.create_batch(3, request=req)
    DocumentFactory(request=LossRunRequestFactory(agency=agency))
    with django_assert_num_queries(1):
        docs = list(documents_for_request(agency=agency, request=req))
        names = [str(d.uploaded_by) for d in docs]
    assert len(docs) == 3 and len(names) == 3


def test_insured_documents_must_be_the_agencys(agency, other_agency, owner):
    from tests.factories import InsuredFactory

    insured = InsuredFactory(agency=agency)
    doc = create(agency, owner, upload("dec.pdf", PDF), insured=insured)
    assert doc.insured == insured and doc.request is None
    with pytest.raises(ValueError):
        create(agency, owner, upload("dec.pdf", PDF), insured=InsuredFactory(agency=other_agency))
