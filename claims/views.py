"""Claims pages: readiness list, loss summary, imports, manual entry and the PDF.

Views parse, call one service or selector and respond; the agency always comes from
the signed-in user.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import agency_view
from claims import forms, selectors, services, tasks
from claims.importers import TermDefaults
from claims.models import ImportJob
from claims.pdf import summary_pdf as render_summary_pdf
from claims.readiness import insured_readiness, readiness_for, request_url
from claims.summaries import insured_summary as build_summary
from config.forms import add_service_errors
from vault.views_documents import limit_upload_size, upload_refused_error

PAGE_SIZE = 50


# Readiness list and summary ----------------------------------------------------------


@require_GET
@agency_view
def insured_list(request, agency):
    search = (
        request.GET.get("q", "").replace("\x00", "").strip()[:100]
    )  # PostgreSQL text has no NUL
    paginator = Paginator(selectors.insureds_list(agency=agency, search=search), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    insureds = list(page.object_list)
    readiness = readiness_for(agency=agency, insureds=insureds)
    rows = [(insured, readiness[insured.pk]) for insured in insureds]
    return render(request, "claims/insured_list.html", {"page": page, "rows": rows, "q": search})


@require_GET
@agency_view
def insured_summary(request, agency, insured_id):
    insured = selectors.insured_get(agency=agency, insured_id=insured_id)
    return render(
        request,
        "claims/insured_summary.html",
        {
            "insured": insured,
            "summary": build_summary(agency=agency, insured=insured),
            "readiness": insured_readiness(agency=agency, insured=insured),
            "reports": selectors.reports_for_insured(agency=agency, insured=insured),
            "attestations": selectors.attestations_for_insured(agency=agency, insured=insured),
            "imports": selectors.imports_for_insured(agency=agency, insured=insured),
            "new_request_url": request_url(insured.pk),
        },
    )


@require_GET
@agency_view
def summary_pdf(request, agency, insured_id):
    insured = selectors.insured_get(agency=agency, insured_id=insured_id)
    pdf = render_summary_pdf(agency=agency, summary=build_summary(agency=agency, insured=insured))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="loss-summary-{insured.pk}.pdf"'
    return response


# Imports -----------------------------------------------------------------------------


def _enqueue(task, job_id: int) -> None:
    transaction.on_commit(lambda: task.delay(job_id))


@limit_upload_size
@require_http_methods(["GET", "POST"])
@agency_view
def import_start(request, agency, insured_id):
    insured = selectors.insured_get(agency=agency, insured_id=insured_id)
    carriers = selectors.carriers_visible(agency=agency)
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        carrier_id = selectors.import_carrier_preset(
            agency=agency, insured=insured, asked=request.GET.get("carrier")
        )
        # ?document=<id>: a loss run already in the vault (the request page links here).
        form = forms.ImportUploadForm(
            initial={"carrier": carrier_id, "document": request.GET.get("document")}
        )
    form.set_carriers(carriers)
    form.set_documents(selectors.loss_run_spreadsheets(agency=agency, insured=insured))
    if request.method == "POST" and not upload_refused_error(request, form) and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.import_job_start(
                agency=agency,
                user=request.user,
                insured=insured,
                carrier=data["carrier"],
                uploaded_file=data["file"],
                document=data["document"],
                valuation_date=data["valuation_date"],
                defaults=TermDefaults(
                    policy_number=data["policy_number"],
                    term_start=data["term_start"],
                    term_end=data["term_end"],
                    line=data["line"],
                    premium=data["premium"],
                ),
            )
        except ValidationError as exc:
            form.add_error("document" if data["document"] else "file", exc.messages)
        else:
            if job.status == ImportJob.Status.MAPPING:
                return redirect("claims:import_mapping", import_id=job.pk)
            _enqueue(tasks.import_read, job.pk)
            return redirect("claims:import_detail", import_id=job.pk)
    return render(request, "claims/import_start.html", {"insured": insured, "form": form})


@require_http_methods(["GET", "POST"])
@agency_view
def import_mapping(request, agency, import_id):
    job = selectors.import_get(agency=agency, import_id=import_id)
    if (
        job.status
        not in (
            ImportJob.Status.MAPPING,
            ImportJob.Status.PREVIEW,
            ImportJob.Status.FAILED,
        )
        or not job.headers
    ):
        return redirect("claims:import_detail", import_id=job.pk)
    form = forms.MappingForm(
        request.POST or None,
        headers=job.headers,
        initial_fields=job.mapping,
        initial={"valuation_date": job.valuation_date},
    )
    fields = job.mapping
    if request.method == "POST" and form.is_valid():
        fields = form.chosen_fields()
        try:
            job = services.import_job_set_mapping(
                agency=agency,
                job=job,
                fields=fields,
                valuation_date=form.cleaned_data["valuation_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return _run_import(request, job)
    hints = selectors.mapping_hints(job=job, fields=fields)
    columns = [(form[name], hints["samples"][i]) for i, name in enumerate(form.columns)]
    return render(
        request,
        "claims/import_mapping.html",
        {"job": job, "form": form, "columns": columns, **hints},
    )


def _run_import(request, job: ImportJob):
    """Small files are imported inside the request, large ones by a Celery task."""
    if not services.import_job_is_small(job):
        _enqueue(tasks.import_commit, job.pk)
        return redirect("claims:import_detail", import_id=job.pk)
    job = services.import_job_commit(job=job)
    if job.status == ImportJob.Status.DONE:
        messages.success(request, f"Imported {job.imported_count} claims.")
        return redirect("claims:insured_summary", insured_id=job.insured_id)
    return redirect("claims:import_detail", import_id=job.pk)


@require_GET
@agency_view
def import_detail(request, agency, import_id):
    job = selectors.import_get(agency=agency, import_id=import_id)
    if job.status == ImportJob.Status.MAPPING:  # the header read just finished
        return redirect("claims:import_mapping", import_id=job.pk)
    return render(request, "claims/import_detail.html", {"job": job})


@require_GET
@agency_view
def import_progress(request, agency, import_id):
    job = selectors.import_get(agency=agency, import_id=import_id)
    response = render(request, "claims/_import_progress.html", {"job": job})
    if not job.is_running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@agency_view
def import_commit(request, agency, import_id):
    """The second choice after an import with errors: import the good rows, drop the bad."""
    job = selectors.import_get(agency=agency, import_id=import_id)
    try:
        job = services.import_job_drop_bad_rows(agency=agency, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("claims:import_detail", import_id=job.pk)
    return _run_import(request, job)


# Manual entry --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@agency_view
def report_create(request, agency, insured_id):
    insured = selectors.insured_get(agency=agency, insured_id=insured_id)
    form = forms.ReportForm(request.POST or None)
    form.set_carriers(selectors.carriers_visible(agency=agency))
    if request.method == "POST" and form.is_valid():
        report = services.report_create(
            agency=agency,
            user=request.user,
            insured=insured,
            carrier=form.cleaned_data["carrier"],
            valuation_date=form.cleaned_data["valuation_date"],
        )
        messages.success(request, "Report added. Now add the policy terms it covers.")
        return redirect("claims:term_create", report_id=report.pk)
    return render(request, "claims/report_form.html", {"insured": insured, "form": form})


@require_GET
@agency_view
def report_detail(request, agency, report_id):
    report = selectors.report_get(agency=agency, report_id=report_id)
    terms = selectors.report_terms(agency=agency, report=report)
    return render(request, "claims/report_detail.html", {"report": report, "terms": terms})


@require_POST
@agency_view
def report_delete(request, agency, report_id):
    report = selectors.report_get(agency=agency, report_id=report_id)
    insured_id = report.insured_id
    services.report_delete(agency=agency, report=report)
    messages.success(request, "Report and its claims deleted.")
    return redirect("claims:insured_summary", insured_id=insured_id)


@require_http_methods(["GET", "POST"])
@agency_view
def term_create(request, agency, report_id):
    report = selectors.report_get(agency=agency, report_id=report_id)
    return _term_form(request, agency, report=report, term=None)


@require_http_methods(["GET", "POST"])
@agency_view
def term_edit(request, agency, term_id):
    term = selectors.term_get(agency=agency, term_id=term_id)
    if term.report is None:
        return redirect("claims:insured_summary", insured_id=term.insured_id)
    return _term_form(request, agency, report=term.report, term=term)


def _term_form(request, agency, *, report, term):
    initial = {}
    if term is not None:
        initial = {
            "policy_number": term.policy_number,
            "term_start": term.term_start,
            "term_end": term.term_end,
            "line": term.line,
            "subject_premium": term.subject_premium,
        }
    form = forms.TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_save(agency=agency, report=report, term=term, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Term saved.")
            return redirect("claims:report_detail", report_id=report.pk)
    return render(request, "claims/term_form.html", {"report": report, "term": term, "form": form})


@require_http_methods(["GET", "POST"])
@agency_view
def claim_create(request, agency, term_id):
    term = selectors.term_get(agency=agency, term_id=term_id)
    if term.report is None:
        return redirect("claims:insured_summary", insured_id=term.insured_id)
    return _claim_form(request, agency, term=term, claim=None)


@require_http_methods(["GET", "POST"])
@agency_view
def claim_edit(request, agency, claim_id):
    claim = selectors.claim_get(agency=agency, claim_id=claim_id)
    return _claim_form(request, agency, term=claim.term, claim=claim)


def _claim_form(request, agency, *, term, claim):
    initial = {}
    if claim is not None:
        initial = {name: getattr(claim, name) for name in services.CLAIM_FIELDS}
    form = forms.ClaimForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_save(agency=agency, term=term, claim=claim, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Claim saved.")
            return redirect("claims:report_detail", report_id=term.report_id)
    return render(request, "claims/claim_form.html", {"term": term, "claim": claim, "form": form})


@require_POST
@agency_view
def claim_delete(request, agency, claim_id):
    claim = selectors.claim_get(agency=agency, claim_id=claim_id)
    report_id = claim.report_id
    services.claim_delete(agency=agency, claim=claim)
    messages.success(request, f"Claim {claim.claim_number} deleted.")
    return redirect("claims:report_detail", report_id=report_id)


@limit_upload_size
@require_http_methods(["GET", "POST"])
@agency_view
def attestation_create(request, agency, insured_id):
    insured = selectors.insured_get(agency=agency, insured_id=insured_id)
    form = forms.AttestationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not upload_refused_error(request, form) and form.is_valid():
        try:
            data = form.cleaned_data
            services.attestation_create(
                agency=agency,
                user=request.user,
                insured=insured,
                uploaded_file=data["file"],
                term_start=data["term_start"],
                term_end=data["term_end"],
                line=data["line"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "No-prior-coverage attestation added.")
            return redirect("claims:insured_summary", insured_id=insured.pk)
    return render(request, "claims/attestation_form.html", {"insured": insured, "form": form})


@require_POST
@agency_view
def attestation_delete(request, agency, term_id):
    term = selectors.term_get(agency=agency, term_id=term_id)
    insured_id = term.insured_id
    try:
        services.attestation_delete(agency=agency, term=term)
    except ValueError:
        messages.error(request, "That is not a no-prior-coverage attestation.")
    else:
        messages.success(request, "Attestation removed.")
    return redirect("claims:insured_summary", insured_id=insured_id)
