"""Documents, letters and the bulk import: parse, call one service or selector, respond."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import agency_member_required
from vault import bulk
from vault.documents import (
    MULTIPART_ALLOWANCE,
    document_create,
    document_get,
    document_response,
    documents_for_request,
    too_large_message,
)
from vault.forms_documents import BulkUploadForm, DocumentUploadForm
from vault.letters import authorization_letter_pdf, letter_filename, second_request_letter_pdf
from vault.models import Document
from vault.selectors import request_get

# Uploads ------------------------------------------------------------------------------


class UploadLimitHandler(FileUploadHandler):
    """First in an upload view's handler chain: refuses an oversized file before it is stored.

    A body whose Content-Length already says it is too large is refused as soon as the
    first file part starts (the form's earlier fields, the CSRF token and the kind, are
    kept); each file's bytes are counted too, so a body without an honest length is cut off
    at the limit. The refused size goes on `request.upload_refused_size` (0 when unknown)
    for the view to explain; no byte of the file reaches the storing handlers.
    """

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = settings.MAX_UPLOAD_BYTES if limit is None else limit
        # Not "content_length": FileUploadHandler.new_file sets that to the part's own length.
        self.body_length: int | None = None

    def _refuse(self, size: int | None) -> None:
        if self.request is not None:
            self.request.upload_refused_size = size or 0
        raise StopUpload(connection_reset=False)

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.body_length = content_length
        return None  # the normal multipart parsing goes on

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.body_length and self.body_length > self.limit + MULTIPART_ALLOWANCE:
            self._refuse(self.body_length)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self._refuse(max(self.body_length or 0, start + len(raw_data)))
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the UploadedFile


def limit_upload_size(view):
    """Install UploadLimitHandler before the body is read, then check CSRF as usual.

    CsrfViewMiddleware would read request.POST (and so the whole body) before the view
    could change the handlers, hence csrf_exempt outside and csrf_protect inside, as the
    Django docs describe under "Modifying upload handlers on the fly".
    """
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, UploadLimitHandler(request))
        return protected(request, *args, **kwargs)

    wrapper.accepts_upload = True  # config.body_limit lets its body through to this limit
    return wrapper


def upload_refused_error(request, form) -> bool:
    """If the body was cut off for size, replace the form's file error with the reason."""
    refused = getattr(request, "upload_refused_size", None)
    if refused is None:
        return False
    form.errors.pop("file", None)
    form.add_error("file", too_large_message(refused))
    return True


def _back_url(req) -> str:
    return reverse("vault:request_edit", args=[req.pk])


def _next_or_back(request, req) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return _back_url(req)


def _panel(request, req, *, form=None, notice: str = "", error: str = "", status: int = 200):
    context = {
        "req": req,
        "documents": documents_for_request(agency=request.agency, request=req),
        "document_form": form,
        "document_form_request_id": req.pk,
        "panel_notice": notice,
        "panel_error": error,
    }
    template = "vault/documents/_request_documents.html"
    if not request.htmx:
        template = "vault/documents/request_documents.html"
        context["back_url"] = _back_url(req)
    with timezone.override(request.agency.tz):
        return render(request, template, context, status=status)


@agency_member_required
@limit_upload_size
@require_http_methods(["GET", "POST"])
def document_upload(request, request_id):
    req = request_get(agency=request.agency, request_id=request_id)
    if request.method == "GET":
        return _panel(request, req)
    form = DocumentUploadForm(request.POST, request.FILES, prefix_id=f"doc{req.pk}")
    valid = form.is_valid()
    if not upload_refused_error(request, form) and valid:
        try:
            document = document_create(
                agency=request.agency,
                uploaded_by=request.user,
                uploaded_file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                request=req,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            notice = f"Uploaded {document.original_name}."
            if request.htmx:
                return _panel(request, req, notice=notice)
            messages.success(request, notice)
            return redirect(_next_or_back(request, req))
    return _panel(request, req, form=form)


@agency_member_required
@require_GET
def document_download(request, document_id):
    document = document_get(agency=request.agency, document_id=document_id)
    return document_response(document)


# Letters ------------------------------------------------------------------------------


def _letter(request, request_id, *, build, kind, what: str, needs_first_request: bool):
    req = request_get(agency=request.agency, request_id=request_id)
    if needs_first_request and req.first_request_on is None:
        message = (
            "Enter the date the 1st request was sent before printing the second-request letter."
        )
        if request.htmx:
            return _panel(request, req, error=message)
        messages.error(request, message)
        return redirect(_back_url(req))
    pdf = build(request=req)
    filename = letter_filename(req, what)
    if request.method == "POST":
        document = document_create(
            agency=request.agency,
            uploaded_by=request.user,
            uploaded_file=ContentFile(pdf, name=filename),
            kind=kind,
            request=req,
        )
        notice = f"Saved {document.original_name} to the request's documents."
        if request.htmx:
            return _panel(request, req, notice=notice)
        messages.success(request, notice)
        return redirect(_next_or_back(request, req))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@agency_member_required
@require_http_methods(["GET", "POST"])
def authorization_letter(request, request_id):
    """GET: the authorization letter as a PDF. POST: save it to the request's documents."""
    return _letter(
        request,
        request_id,
        build=authorization_letter_pdf,
        kind=Document.Kind.AUTH_UNSIGNED,
        what="authorization",
        needs_first_request=False,
    )


@agency_member_required
@require_http_methods(["GET", "POST"])
def second_request_letter(request, request_id):
    """GET: the printable second-request letter. POST: save it to the request's documents."""
    return _letter(
        request,
        request_id,
        build=second_request_letter_pdf,
        kind=Document.Kind.SECOND_REQUEST,
        what="second-request",
        needs_first_request=True,
    )


# Bulk create --------------------------------------------------------------------------


@agency_member_required
@limit_upload_size
@require_http_methods(["GET", "POST"])
def bulk_upload(request):
    form = BulkUploadForm()
    if request.method == "POST":
        form = BulkUploadForm(request.POST, request.FILES)
        valid = form.is_valid()
        if not upload_refused_error(request, form) and valid:
            try:
                document = bulk.bulk_file_store(
                    agency=request.agency,
                    user=request.user,
                    uploaded_file=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("vault:bulk_preview", document_id=document.pk)
    return render(
        request,
        "vault/documents/bulk_upload.html",
        {"form": form, "max_rows": bulk.MAX_ROWS, "columns": bulk.TEMPLATE_HEADER},
    )


@agency_member_required
@require_GET
def bulk_template(request):
    response = HttpResponse(bulk.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "loss-run-requests.csv")
    return response


@agency_member_required
@require_GET
def bulk_preview(request, document_id):
    document = bulk.bulk_file_get(agency=request.agency, document_id=document_id)
    plan = bulk.bulk_plan(agency=request.agency, document=document)
    return render(
        request, "vault/documents/bulk_preview.html", {"document": document, "plan": plan}
    )


@agency_member_required
def bulk_commit(request, document_id):
    # Resolved first, so another agency's id is a 404 whatever the method.
    document = bulk.bulk_file_get(agency=request.agency, document_id=document_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        created = bulk.bulk_commit(agency=request.agency, user=request.user, document=document)
    except bulk.BulkAlreadyImported as exc:
        messages.info(request, str(exc))
        return redirect("vault:list")
    except bulk.BulkInvalid as exc:
        messages.error(
            request, "Nothing was created: fix the rows below and upload the file again."
        )
        return render(
            request,
            "vault/documents/bulk_preview.html",
            {"document": document, "plan": exc.plan},
            status=400,
        )
    messages.success(
        request,
        f"Created {len(created)} request{'s' if len(created) != 1 else ''} "
        f"from {document.original_name}.",
    )
    return redirect("vault:list")
