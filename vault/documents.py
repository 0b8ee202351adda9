"""Documents: storing an agency's uploads safely and reading them back through the agency.

Uploads are checked by content (never by name or the browser's content type), capped at
settings.MAX_UPLOAD_BYTES, hashed while streaming, and stored through Django's default
storage (DOCUMENT_ROOT outside any public path, or a private S3 bucket) with a random,
sanitised name; nothing here touches a local path. They are served only by the
agency-checked download view, which streams them from the storage.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import secrets
import unicodedata
import zipfile
from collections.abc import Collection
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.text import get_valid_filename

from accounts.models import Agency
from accounts.tenancy import get_for_agency, scoped
from vault.authorization import request_authorization_set
from vault.models import Authorization, Document, Insured, LossRunRequest

ACCEPTED_TYPES_TEXT = "PDF, PNG, JPEG, TIFF, CSV or XLSX"
ORIGINAL_NAME_MAX = 200  # Document.original_name max_length
STORED_STEM_MAX = 80
CSV_SAMPLE_BYTES = 64 * 1024
# Multipart framing and the form's other fields ride along with the file in the body.
MULTIPART_ALLOWANCE = 64 * 1024

BY_CONTENT = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/tiff": "tif",
}
PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv"


@dataclass(frozen=True)
class Detected:
    content_type: str
    extension: str


def size_text(num_bytes: int) -> str:
    """'63.2 MB', '50 MB', '812 KB' (binary units, as the limit is defined)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if num_bytes >= factor:
            value = f"{num_bytes / factor:.1f}".removesuffix(".0")
            return f"{value} {unit}"
    return f"{num_bytes} bytes"


def too_large_message(num_bytes: int | None, limit: int | None = None) -> str:
    limit = settings.MAX_UPLOAD_BYTES if limit is None else limit
    shown, limit_shown = size_text(num_bytes or 0), size_text(limit)
    if not num_bytes or shown == limit_shown:
        return (
            f"This file is larger than {limit_shown}; the largest accepted upload is {limit_shown}."
        )
    return f"This file is {shown}; the largest accepted upload is {limit_shown}."


def clean_original_name(name: str | None) -> str:
    """The name as the user knows it, minus path parts and control characters, capped."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = unicodedata.normalize("NFC", name).strip().strip(".").strip()
    if not name:
        return "upload"
    if len(name) > ORIGINAL_NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = f"{stem[: ORIGINAL_NAME_MAX - len(ext) - 1]}.{ext}"
        else:
            name = name[:ORIGINAL_NAME_MAX]
    return name


def stored_name_for(original_name: str, extension: str) -> str:
    """A safe file name: random prefix, sanitised stem, extension from the detected type."""
    stem = original_name.rsplit(".", 1)[0] if "." in original_name else original_name
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:
        stem = ""
    stem = stem.strip("._-")[:STORED_STEM_MAX] or "document"
    return f"{secrets.token_hex(8)}-{stem}.{extension}"


def _refuse_type(what: str) -> ValidationError:
    return ValidationError(
        f"This file's content is {what}, which is not accepted, whatever the file is called. "
        f"Upload a {ACCEPTED_TYPES_TEXT} file.",
        code="file_type",
    )


def _xlsx_check(uploaded_file) -> str | None:
    """None for a plain Excel workbook, else why it is not one (nothing is extracted)."""
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a damaged ZIP archive"
    finally:
        uploaded_file.seek(0)
    if "xl/workbook.xml" not in names:
        return "a ZIP archive that is not an Excel workbook"
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return "an Excel workbook with macros (XLSM)"
    return None


def _scan(uploaded_file) -> tuple[str, bytes, bool, bool]:
    """One streaming pass: SHA-256, the head for sniffing, NUL bytes, UTF-8 validity."""
    digest = hashlib.sha256()
    head = b""
    has_nul = False
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
        if len(head) < CSV_SAMPLE_BYTES:
            head += chunk[: CSV_SAMPLE_BYTES - len(head)]
        if not has_nul and b"\x00" in chunk:
            has_nul = True
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    uploaded_file.seek(0)
    return digest.hexdigest(), head, has_nul, utf8


def _looks_like_csv(head: bytes, utf8: bool) -> bool:
    try:
        # The head may end inside a UTF-8 character; the whole file was already validated.
        text = head.decode("utf-8-sig", errors="ignore") if utf8 else head.decode("cp1252")
    except UnicodeDecodeError:
        return False
    text = text.lstrip()
    if not text or text.startswith("<"):  # HTML, SVG and XML are not spreadsheets
        return False
    if len(head) == CSV_SAMPLE_BYTES and "\n" in text:
        text = text.rsplit("\n", 1)[0]  # don't judge a row cut in half
    try:
        dialect = csv.Sniffer().sniff(text, delimiters=",;\t|")
        rows = list(csv.reader(text.splitlines(), dialect))
    except csv.Error:
        return False
    return any(len(row) > 1 for row in rows)


def detect_type(uploaded_file, head: bytes, has_nul: bool, utf8: bool) -> Detected:
    """What the bytes are, whatever the file is called. Raises ValidationError if not accepted."""
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime in BY_CONTENT:
            return Detected(kind.mime, BY_CONTENT[kind.mime])
        if kind.mime in (XLSX_TYPE, "application/zip"):
            problem = _xlsx_check(uploaded_file)
            if problem is None:
                return Detected(XLSX_TYPE, "xlsx")
            raise _refuse_type(problem)
        raise _refuse_type(f"{kind.extension.upper()} ({kind.mime})")
    if not has_nul and _looks_like_csv(head, utf8):
        return Detected(CSV_TYPE, "csv")
    raise _refuse_type("not a document type we recognise")


def inspect_upload(uploaded_file) -> tuple[Detected, str]:
    """The file's detected type and SHA-256, or ValidationError (too large, empty, refused)."""
    size = uploaded_file.size or 0
    if size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(too_large_message(size), code="too_large")
    if size == 0:
        raise ValidationError("This file is empty.", code="empty")
    sha256, head, has_nul, utf8 = _scan(uploaded_file)
    return detect_type(uploaded_file, head, has_nul, utf8), sha256


def _check_owner(agency: Agency, request: LossRunRequest | None, insured: Insured | None) -> None:
    for obj in (request, insured):
        if obj is not None and obj.agency_id != agency.pk:
            raise ValueError(f"{obj!r} does not belong to agency {agency.pk}.")


@transaction.atomic
def document_create(
    *,
    agency: Agency,
    uploaded_by,
    uploaded_file,
    kind: str,
    request: LossRunRequest | None = None,
    insured: Insured | None = None,
    allowed_types: Collection[str] | None = None,
    refused_message: str = "This kind of file is not accepted here.",
) -> Document:
    """Check, hash and store an upload as one of the agency's documents.

    Raises ValidationError (a message fit to show the user) when the file is too large, its
    content is not PDF, PNG, JPEG, TIFF, CSV or XLSX, or (with `allowed_types`) not one of
    those content types: refused before anything is stored.
    """
    _check_owner(agency, request, insured)
    if kind not in Document.Kind.values:
        raise ValidationError("Choose what kind of document this is.", code="kind")
    size = uploaded_file.size or 0
    detected, sha256 = inspect_upload(uploaded_file)
    if allowed_types is not None and detected.content_type not in allowed_types:
        raise ValidationError(refused_message, code="type_not_allowed")

    original_name = clean_original_name(getattr(uploaded_file, "name", ""))
    now = timezone.now()
    path = f"agency/{agency.pk}/{now:%Y/%m}/{stored_name_for(original_name, detected.extension)}"
    stored_path = default_storage.save(path, uploaded_file)
    if insured is None and request is not None:
        insured = request.insured
    try:
        document = Document(
            agency=agency,
            request=request,
            insured=insured,
            kind=kind,
            original_name=original_name,
            content_type=detected.content_type,
            size=size,
            sha256=sha256,
            uploaded_by=uploaded_by,
            uploaded_at=now,
        )
        document.file.name = stored_path
        document.save()
    except Exception:
        default_storage.delete(stored_path)
        raise
    if kind == Document.Kind.AUTH_SIGNED and request is not None:
        request_authorization_set(
            request=request,
            authorization=Authorization.SIGNED,
            actor=uploaded_by,
            reason=f"Signed authorization on file: {original_name}",
        )
    return document


def document_file_discard(document: Document) -> None:
    """Remove the stored file of an upload that a later check refused.

    For the caller that just created `document` and is about to raise: the row goes with the
    transaction's rollback, the file would otherwise stay in storage with no row naming it.
    """
    if document.file.name:
        default_storage.delete(document.file.name)


def document_get(*, agency: Agency, document_id: int) -> Document:
    """One of the agency's documents, or Http404 (missing and other-agency look the same)."""
    return get_for_agency(
        Document.objects.select_related("uploaded_by"), agency=agency, pk=document_id
    )


def document_response(document: Document) -> FileResponse:
    """An agency's file as a download that can never run as a page of this site.

    Always an attachment, sniffing off, and a CSP of its own with `sandbox`: a crafted PDF,
    SVG or HTML opened from here has no origin, no script and no access to the session.
    Every place that serves a stored document (the agency's view, the help desk's admin)
    answers with this.
    """
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def documents_for_request(*, agency: Agency, request: LossRunRequest) -> models.QuerySet:
    return scoped(Document, agency).filter(request=request).select_related("uploaded_by")
