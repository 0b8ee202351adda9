"""Extra staff pages of a ticket: return to the agency, escalation letter, document download."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_POST

from helpdesk import services
from helpdesk.forms import ReturnToAgencyForm
from helpdesk.letters import escalation_letter_pdf
from helpdesk.models import Ticket, TicketMessage
from vault.documents import document_response
from vault.models import Document
from vault.views_documents import limit_upload_size


def _with_uploads(pattern):
    """The change form takes the loss runs staff obtained: the upload limit (50 MB) instead
    of the small body limit of other pages (config.body_limit)."""
    if getattr(pattern, "name", None) != "helpdesk_ticket_change":
        return pattern
    return path(str(pattern.pattern), limit_upload_size(pattern.callback), name=pattern.name)


class TicketStaffViewsMixin:
    """URLs and views TicketAdmin adds to the admin site."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:ticket_id>/return/",
                view(self.return_to_agency_view),
                name="helpdesk_ticket_return",
            ),
            path(
                "<int:ticket_id>/escalation-letter/",
                view(self.escalation_letter_view),
                name="helpdesk_ticket_escalation_letter",
            ),
            path(
                "<int:ticket_id>/escalation-letter/sent/",
                view(self.escalation_letter_sent_view),
                name="helpdesk_ticket_escalation_letter_sent",
            ),
            path(
                "<int:ticket_id>/documents/<int:document_id>/",
                view(self.document_view),
                name="helpdesk_ticket_document",
            ),
            *self.statutory_urls(),
            *[_with_uploads(p) for p in super().get_urls()],
        ]

    def _ticket(self, request, ticket_id: int) -> Ticket:
        if not self.has_view_or_change_permission(request):
            raise Http404
        return get_object_or_404(
            Ticket.objects.select_related("agency", "request__insured", "request__carrier"),
            pk=ticket_id,
        )

    def return_to_agency_view(self, request, ticket_id: int):
        ticket = self._ticket(request, ticket_id)
        if not self.has_change_permission(request, ticket):
            raise Http404
        form = ReturnToAgencyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.ticket_return_to_agency(
                    ticket=ticket,
                    actor=request.user,
                    reasons=form.cleaned_data["reasons"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    f"Ticket #{ticket.pk} returned to the agency; they were e-mailed the reasons.",
                )
                return redirect("admin:helpdesk_ticket_change", ticket.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": ticket,
            "title": f"Return ticket #{ticket.pk} to the agency",
            "form": form,
        }
        return TemplateResponse(
            request,
            "admin/helpdesk/ticket/return_to_agency.html",
            context,
            status=400 if request.method == "POST" else 200,
        )

    @method_decorator(require_GET)
    def escalation_letter_view(self, request, ticket_id: int):
        """The letter as a PDF. Reading it writes nothing; sending it is recorded by POST."""
        ticket = self._ticket(request, ticket_id)
        pdf = escalation_letter_pdf(ticket=ticket)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="escalation-ticket-{ticket.pk}.pdf"'
        return response

    @method_decorator(require_POST)
    def escalation_letter_sent_view(self, request, ticket_id: int):
        """Staff record that the escalation letter went to the carrier (the audit row)."""
        ticket = self._ticket(request, ticket_id)
        if not self.has_change_permission(request, ticket):
            raise Http404
        services.ticket_escalation_letter_record(ticket=ticket, actor=request.user)
        self.message_user(
            request, f"Recorded: the escalation letter went to {ticket.request.carrier.legal_name}."
        )
        return redirect("admin:helpdesk_ticket_change", ticket.pk)

    def document_view(self, request, ticket_id: int, document_id: int):
        """Staff-only download of a document attached to this ticket (vault's view is agency-scoped)."""
        ticket = self._ticket(request, ticket_id)
        attached = (
            {ticket.signed_first_request_id}
            | set(ticket.proofs.values_list("document_id", flat=True))
            | set(
                TicketMessage.documents.through.objects.filter(
                    ticketmessage__ticket=ticket
                ).values_list("document_id", flat=True)
            )
        )
        if document_id not in attached:
            raise Http404("That document is not attached to this ticket.")
        doc = ticket.signed_first_request
        if doc.pk != document_id:
            doc = Document.objects.get(pk=document_id, agency_id=ticket.agency_id)
        return document_response(doc)
