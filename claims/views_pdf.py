"""The PDF import pages: upload, progress, review beside the page images, corrections, commit."""

from __future__ import annotations

import io
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import agency_view
from claims import forms, selectors, services, tasks
from claims.extract import CLAIM_KEYS
from claims.models import PdfImport
from vault.views_documents import limit_upload_size, upload_refused_error

PAGE_IMAGE_SCALE = 1.5  # 108 dpi: readable beside the table, small enough to load fast
_TERM = ("policy_number", "term_start", "term_end")
# The claim's own fields first (what a reviewer checks), its policy term last.
COLUMNS = [k for k in CLAIM_KEYS if k != "page" and k not in _TERM] + list(_TERM)


@limit_upload_size
@require_http_methods(["GET", "POST"])
@agency_view
def pdf_import_start(request, agency, insured_id):
    insured = selectors.insured_get(agency=agency, insured_id=insured_id)
    form = forms.PdfUploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        carrier_id = selectors.import_carrier_preset(
            agency=agency, insured=insured, asked=request.GET.get("carrier")
        )
        # ?document=<id>: a loss-run PDF already in the vault (the request page links here).
        form = forms.PdfUploadForm(
            initial={"carrier": carrier_id, "document": request.GET.get("document")}
        )
    form.set_carriers(selectors.carriers_visible(agency=agency))
    form.set_documents(selectors.loss_run_pdfs(agency=agency, insured=insured))
    if request.method == "POST" and not upload_refused_error(request, form) and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.pdf_import_start(
                agency=agency,
                user=request.user,
                insured=insured,
                carrier=data["carrier"],
                uploaded_file=data["file"],
                document=data["document"],
            )
        except ValidationError as exc:
            form.add_error("document" if data["document"] else "file", exc.messages)
        else:
            transaction.on_commit(lambda: tasks.pdf_extract.delay(job.pk))
            return redirect("claims:pdf_import_detail", pdf_import_id=job.pk)
    return render(request, "claims/pdf_import_start.html", {"insured": insured, "form": form})


@require_GET
@agency_view
def pdf_import_detail(request, agency, pdf_import_id):
    job = selectors.pdf_import_get(agency=agency, pdf_import_id=pdf_import_id)
    context = {"job": job}
    if job.status == PdfImport.Status.REVIEW:
        rows = selectors.pdf_review_rows(job)
        for row in rows:
            row["cells"] = [(c, row["values"].get(c, "")) for c in COLUMNS]
            row["boxes_json"] = json.dumps(row["boxes"])
        sizes = job.result.get("page_sizes", [])
        context.update(
            rows=rows,
            columns=[c.replace("_", " ") for c in COLUMNS],
            terms=job.result.get("terms", []),
            warnings=job.result.get("warnings", []),
            pages=[
                {"number": n, "width": w * PAGE_IMAGE_SCALE, "height": h * PAGE_IMAGE_SCALE}
                for n, (w, h) in enumerate(sizes, start=1)
            ],
            scale=PAGE_IMAGE_SCALE,
            commit_form=forms.PdfCommitForm(
                initial={"valuation_date": job.result.get("valuation_date") or None}
            ),
        )
    return render(request, "claims/pdf_import_detail.html", context)


@require_GET
@agency_view
def pdf_import_progress(request, agency, pdf_import_id):
    job = selectors.pdf_import_get(agency=agency, pdf_import_id=pdf_import_id)
    response = render(request, "claims/_pdf_progress.html", {"job": job})
    if job.status != PdfImport.Status.EXTRACTING and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_GET
@agency_view
def pdf_import_page(request, agency, pdf_import_id, page):
    """One page of the import's PDF as a PNG, rendered with pypdfium2."""
    import pypdfium2 as pdfium

    job = selectors.pdf_import_get(agency=agency, pdf_import_id=pdf_import_id)
    with job.document.file.open("rb") as handle:
        try:
            doc = pdfium.PdfDocument(handle.read())
        except pdfium.PdfiumError as exc:
            raise Http404("This PDF cannot be rendered.") from exc
    try:
        if not 1 <= page <= len(doc):
            raise Http404("No such page.")
        image = doc[page - 1].render(scale=PAGE_IMAGE_SCALE).to_pil()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _edits_from(post, count: int) -> dict[int, dict[str, str]]:
    edits: dict[int, dict[str, str]] = {}
    for name, value in post.items():
        index, _, field = name.partition("-")
        if not index.startswith("c") or field not in COLUMNS or not index[1:].isdigit():
            continue
        number = int(index[1:])
        if number < count:
            edits.setdefault(number, {})[field] = value
    return edits


@require_POST
@agency_view
def pdf_import_review(request, agency, pdf_import_id):
    """Save the corrected cells; with "commit", import the claims (all or none)."""
    job = selectors.pdf_import_get(agency=agency, pdf_import_id=pdf_import_id)
    count = len(job.result.get("claims", []))
    try:
        job = services.pdf_import_correct(
            agency=agency, job=job, edits=_edits_from(request.POST, count)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("claims:pdf_import_detail", pdf_import_id=job.pk)
    if "commit" not in request.POST:
        messages.success(
            request, "Corrections saved; they will be applied to this carrier's next PDF."
        )
        return redirect("claims:pdf_import_detail", pdf_import_id=job.pk)
    form = forms.PdfCommitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the valuation date to import the claims.")
        return redirect("claims:pdf_import_detail", pdf_import_id=job.pk)
    try:
        report = services.pdf_import_commit(
            agency=agency,
            user=request.user,
            job=job,
            valuation_date=form.cleaned_data["valuation_date"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("claims:pdf_import_detail", pdf_import_id=job.pk)
    messages.success(request, f"Imported {report.claims.count()} claims from the PDF.")
    return redirect("claims:report_detail", report_id=report.pk)
