"""Agency pages of the help desk: hand a request over, follow the ticket, reply."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.decorators import agency_member_required
from config.forms import add_service_errors
from helpdesk import selectors, services
from helpdesk.forms import ReplyForm, TicketSubmitForm
from helpdesk.models import TicketEvent
from vault.documents import too_large_message
from vault.status import Status as RequestStatus
from vault.status import request_status
from vault.views_documents import limit_upload_size


def _submit_form(req, agency, *, data=None, files=None, fresh_ids=()) -> TicketSubmitForm:
    return TicketSubmitForm(
        data,
        files,
        signed_docs=selectors.signed_first_request_choices(agency=agency, request=req),
        proof_docs=selectors.proof_of_carrier_choices(agency=agency, request=req),
        policy_numbers=[p.policy_number for p in req.policies.all()],
        fresh_ids=fresh_ids,
    )


def _refused_upload(request, form) -> None:
    """The body was cut off for size before it was stored: say so on the form."""
    refused = getattr(request, "upload_refused_size", None)
    if refused is not None:
        form.add_error(None, too_large_message(refused))


@limit_upload_size
@agency_member_required
@require_http_methods(["GET", "POST"])
def submit(request, request_id: int):
    agency = request.agency
    req = selectors.request_for_submission(agency=agency, request_id=request_id)
    open_ticket = selectors.ticket_open_for_request(agency=agency, request=req)
    if open_ticket is not None:
        messages.info(
            request,
            f"This request already has an open help desk ticket (#{open_ticket.pk}). "
            "Add anything new as a reply here.",
        )
        return redirect("helpdesk:ticket_detail", ticket_id=open_ticket.pk)
    if req.received_on is not None:
        return render(
            request,
            "helpdesk/submit_received.html",
            {"req": req},
            status=400 if request.method == "POST" else 200,
        )
    kept_uploads = False
    if request.method == "POST":
        form = _submit_form(req, agency, data=request.POST, files=request.FILES)
        form.is_valid()
        signed_file, proof_files = form.uploads()
        if signed_file or proof_files:
            signed, stored, upload_errors = services.submission_uploads_store(
                agency=agency,
                user=request.user,
                request=req,
                signed_file=signed_file,
                proof_files=proof_files,
            )
            kept_uploads = bool(signed or stored)
            data = TicketSubmitForm.rebound_data(request.POST, signed=signed, stored=stored)
            form = _submit_form(req, agency, data=data, fresh_ids=[d.pk for d in stored.values()])
            form.is_valid()
            for name, errors in upload_errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        _refused_upload(request, form)
        if form.is_valid():
            signed_doc = form.cleaned_data["signed_first_request"]
            try:
                ticket = services.ticket_submit(
                    agency=agency,
                    request=req,
                    user=request.user,
                    signed_first_request=signed_doc,
                    proofs=[services.ProofChoice(d, p) for d, p in form.proof_choices()],
                    message=form.cleaned_data["message"],
                    confirmed_common_mistakes=form.cleaned_data["confirm_common_mistakes"],
                )
            except services.TicketAlreadyOpen as exc:
                messages.info(
                    request, f"This request already has an open ticket (#{exc.ticket.pk})."
                )
                return redirect("helpdesk:ticket_detail", ticket_id=exc.ticket.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Ticket #{ticket.pk} is with the help desk. You'll hear from us by e-mail "
                    "at every step.",
                )
                return redirect("helpdesk:ticket_detail", ticket_id=ticket.pk)
    else:
        form = _submit_form(req, agency)
        latest_signed = form.fields["signed_first_request"].queryset.first()
        if latest_signed is not None:
            form.initial["signed_first_request"] = latest_signed.pk
    now = timezone.now()
    return render(
        request,
        "helpdesk/submit.html",
        {
            "form": form,
            "req": req,
            "kept_uploads": kept_uploads,
            "policies": list(req.policies.all()),
            "early": request_status(req, now) != RequestStatus.HELP_DESK,
            "mistakes": selectors.common_mistakes_active(),
        },
        status=400 if request.method == "POST" else 200,
    )


@agency_member_required
def common_mistakes(request):
    return render(
        request,
        "helpdesk/common_mistakes.html",
        {"mistakes": selectors.common_mistakes_active()},
    )


@agency_member_required
def ticket_list(request):
    page = Paginator(selectors.ticket_list(agency=request.agency), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "helpdesk/ticket_list.html", {"page": page, "tickets": page.object_list})


@limit_upload_size
@agency_member_required
@require_http_methods(["GET", "POST"])
def ticket_detail(request, ticket_id: int):
    agency = request.agency
    ticket = selectors.ticket_get(agency=agency, ticket_id=ticket_id)
    form = ReplyForm()
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES)
        _refused_upload(request, form)
        if form.is_valid():
            try:
                services.ticket_reply(
                    ticket=ticket,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    uploaded_files=form.cleaned_data["files"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Your reply is with the help desk.")
                return redirect("helpdesk:ticket_detail", ticket_id=ticket.pk)
        status = 400
    history = list(selectors.ticket_public_events(agency=agency, ticket=ticket))
    returns = [e for e in history if e.action == TicketEvent.Action.RETURNED]
    return render(
        request,
        "helpdesk/ticket_detail.html",
        {
            "ticket": ticket,
            "req": ticket.request,
            "thread": selectors.ticket_public_messages(agency=agency, ticket=ticket),
            "history": history,
            "last_return": returns[-1] if returns else None,
            "proofs": selectors.ticket_proofs(agency=agency, ticket=ticket),
            "form": form,
        },
        status=status,
    )
