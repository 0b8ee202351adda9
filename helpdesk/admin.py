"""The staff side of the help desk. Every change goes through helpdesk.services (audit + e-mails)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from helpdesk import services
from helpdesk.admin_statutory import StatutoryDeadlineFilter, StatutoryTicketAdminMixin
from helpdesk.forms import ReturnToAgencyForm, TicketAdminForm
from helpdesk.letters import escalation_letter_pdf
from helpdesk.models import CommonMistake, ProofCoverage, Ticket, TicketEvent, TicketMessage
from vault.models import Document

INLINE_CONTENT_TYPES = {"application/pdf", "image/png", "image/jpeg"}


def _doc_link(ticket_id: int, doc) -> str:
    url = reverse("admin:helpdesk_ticket_document", args=[ticket_id, doc.pk])
    return format_html('<a href="{}">{}</a> ({})', url, doc.original_name, doc.get_kind_display())


@admin.register(CommonMistake)
class CommonMistakeAdmin(admin.ModelAdmin):
    list_display = ["title", "ordering", "active"]
    list_editable = ["ordering", "active"]
    list_filter = ["active"]
    search_fields = ["title", "explanation", "what_to_do"]


class OverdueFilter(admin.SimpleListFilter):
    title = "first response"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        overdue = Q(
            first_responded_at__isnull=True,
            status__in=Ticket.OPEN_STATUSES,
            first_response_due_at__lte=timezone.now(),
        )
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProofCoverageInline(ReadOnlyInline):
    model = ProofCoverage
    fields = ["document_link", "policy_number"]
    readonly_fields = fields

    @admin.display(description="document")
    def document_link(self, obj):
        return _doc_link(obj.ticket_id, obj.document)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document")


class TicketMessageInline(admin.StackedInline):
    """Existing messages are read-only; a new one goes out through ticket_add_message."""

    model = TicketMessage
    extra = 1
    can_delete = False
    fields = ["is_internal", "body", "sender", "created_at", "attachments"]
    readonly_fields = ["sender", "created_at", "attachments"]
    verbose_name = "message"
    verbose_name_plural = (
        "messages (public ones are e-mailed to the agency; internal notes never are)"
    )

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").prefetch_related("documents")

    @admin.display(description="from")
    def sender(self, obj):
        if obj.pk is None:
            return "—"
        who = obj.author or "deleted user"
        label = (
            "internal note" if obj.is_internal else ("help desk" if obj.from_staff else "agency")
        )
        return f"{who} ({label})"

    @admin.display(description="attachments")
    def attachments(self, obj):
        if obj.pk is None:
            return "—"
        docs = list(obj.documents.all())
        if not docs:
            return "—"
        return format_html_join(", ", "{}", ((_doc_link(obj.ticket_id, d),) for d in docs))


class TicketEventInline(ReadOnlyInline):
    model = TicketEvent
    fields = ["created_at", "actor", "action", "from_status", "to_status", "detail", "reason_list"]
    readonly_fields = fields
    verbose_name = "audit event"
    verbose_name_plural = "audit trail"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor").prefetch_related("reasons")

    @admin.display(description="reasons")
    def reason_list(self, obj):
        return ", ".join(r.title for r in obj.reasons.all()) or "—"


@admin.register(Ticket)
class TicketAdmin(StatutoryTicketAdminMixin, admin.ModelAdmin):
    form = TicketAdminForm
    list_display = [
        "id",
        "agency",
        "insured",
        "carrier",
        "status",
        "assignee",
        "priority",
        "first_response_due",
        "statutory_due",
        "updated_at",
    ]
    list_display_links = ["id", "insured"]
    list_filter = [
        "status",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        "agency",
        ("request__carrier", admin.RelatedOnlyFieldListFilter),
        OverdueFilter,
        StatutoryDeadlineFilter,
        "priority",
    ]
    search_fields = [
        "request__insured__legal_name",
        "request__insured__dba",
        "request__carrier__legal_name",
        "request__policies__policy_number",
        "agency__name",
    ]
    ordering = ["first_response_due_at", "id"]
    list_select_related = ["agency", "request__insured", "request__carrier", "assignee"]
    list_per_page = 50
    actions = ["assign_to_me", "mark_in_review"]
    inlines = [ProofCoverageInline, TicketMessageInline, TicketEventInline]
    readonly_fields = [
        "agency",
        "request_link",
        "submitted_by",
        "submitted_at",
        "first_response_due",
        "first_responded_at",
        "updated_at",
        "closed_at",
        "waiting_for",
        "confirmed_common_mistakes_at",
        "request_dates",
        "policy_list",
        "carrier_contacts",
        "signed_first_request_link",
    ]
    fieldsets = [
        (
            "Work the ticket",
            {"fields": ["status", "received_on", "status_note", "assignee", "priority"]},
        ),
        (
            "Ticket",
            {
                "fields": [
                    "agency",
                    "request_link",
                    "submitted_by",
                    "submitted_at",
                    "first_response_due",
                    "first_responded_at",
                    "updated_at",
                    "closed_at",
                    "waiting_for",
                    "confirmed_common_mistakes_at",
                ]
            },
        ),
        ("The request", {"fields": ["request_dates", "policy_list", "signed_first_request_link"]}),
        ("Carrier's loss-run contacts", {"fields": ["carrier_contacts"]}),
    ]

    # --- list columns -------------------------------------------------------------------

    @admin.display(description="insured", ordering="request__insured__legal_name")
    def insured(self, obj):
        return obj.request.insured

    @admin.display(description="carrier", ordering="request__carrier__legal_name")
    def carrier(self, obj):
        return obj.request.carrier.legal_name

    @admin.display(description="first response due", ordering="first_response_due_at")
    def first_response_due(self, obj):
        when = timezone.localtime(obj.first_response_due_at, obj.agency.tz)
        text = f"{when:%m/%d/%Y %I:%M %p} {when.tzname()}"
        if obj.is_overdue():
            return format_html(
                '<img src="{}" alt=""> <strong>OVERDUE</strong> {}',
                static("admin/img/icon-alert.svg"),
                text,
            )
        if obj.first_responded_at:
            return format_html("{} <span>(answered)</span>", text)
        return text

    # --- change-page panels -------------------------------------------------------------

    @admin.display(description="request")
    def request_link(self, obj):
        try:
            url = reverse("admin:vault_lossrunrequest_change", args=[obj.request_id])
        except NoReverseMatch:
            return f"#{obj.request_id}: {obj.request}"
        return format_html('<a href="{}">#{}: {}</a>', url, obj.request_id, obj.request)

    @admin.display(description="dates")
    def request_dates(self, obj):
        req = obj.request
        tz = obj.agency.tz
        rows = [
            ("Request created", f"{timezone.localtime(req.created_at, tz):%m/%d/%Y}"),
            (
                "1st request sent",
                f"{req.first_request_on:%m/%d/%Y}" if req.first_request_on else "—",
            ),
            (
                "2nd request sent",
                f"{timezone.localtime(req.second_request_at, tz):%m/%d/%Y %I:%M %p}"
                if req.second_request_at
                else "—",
            ),
            (
                "Help desk due since",
                f"{timezone.localtime(req.helpdesk_due_at, tz):%m/%d/%Y %I:%M %p}"
                if req.helpdesk_due_at
                else "—",
            ),
            ("Received", f"{req.received_on:%m/%d/%Y}" if req.received_on else "not yet"),
            ("Years requested", str(req.years_requested)),
        ]
        return format_html(
            '<table class="hd-panel">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    @admin.display(description="policies")
    def policy_list(self, obj):
        rows = [
            (
                p.policy_number,
                p.get_line_of_business_display(),
                f"{p.term_start:%m/%d/%Y}–{p.term_end:%m/%d/%Y}",
            )
            for p in obj.request.policies.all()
        ]
        return format_html(
            '<table class="hd-panel">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description="contacts")
    def carrier_contacts(self, obj):
        c = obj.request.carrier
        rows = [
            ("Carrier", str(c)),
            ("Loss-run e-mail", c.loss_run_email or "—"),
            ("Fax", c.fax or "—"),
            ("Phone", c.phone or "—"),
            ("Mailing address", c.mailing_address or "—"),
        ]
        if c.notes:
            rows.append(("Notes", c.notes))
        return format_html(
            '<table class="hd-panel">{}</table>',
            format_html_join("", '<tr><th>{}</th><td class="hd-pre">{}</td></tr>', rows),
        )

    @admin.display(description="signed first request")
    def signed_first_request_link(self, obj):
        return _doc_link(obj.pk, obj.signed_first_request)

    # --- permissions and queries --------------------------------------------------------

    def has_add_permission(self, request):
        return False  # tickets come from agencies through the submission form

    def has_delete_permission(self, request, obj=None):
        return False  # the audit trail is kept

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "agency", "request__insured", "request__carrier", "assignee", "signed_first_request"
            )
        )

    # --- writes through services --------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:  # pragma: no cover - adding is disabled
            raise ValidationError("Tickets are created by agencies.")
        ticket = Ticket.objects.select_related("agency", "request").get(pk=obj.pk)
        data = form.cleaned_data
        try:
            if data["status"] != ticket.status:
                if data["status"] == Ticket.Status.RESOLVED_RECEIVED:
                    services.ticket_resolve_received(
                        ticket=ticket,
                        actor=request.user,
                        received_on=data["received_on"],
                        note=data.get("status_note", ""),
                    )
                else:
                    services.ticket_set_status(
                        ticket=ticket,
                        status=data["status"],
                        actor=request.user,
                        note=data.get("status_note", ""),
                    )
            services.ticket_assign(ticket=ticket, assignee=data["assignee"], actor=request.user)
            services.ticket_set_priority(
                ticket=ticket, priority=data["priority"], actor=request.user
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def save_formset(self, request, form, formset, change):
        # Nothing is saved by the formset itself; the admin's change message reads these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not TicketMessage:
            return
        ticket = Ticket.objects.select_related("agency", "request").get(pk=form.instance.pk)
        for f in formset.extra_forms:
            if not f.has_changed() or not f.cleaned_data.get("body", "").strip():
                continue
            msg = services.ticket_add_message(
                ticket=ticket,
                author=request.user,
                body=f.cleaned_data["body"],
                is_internal=f.cleaned_data.get("is_internal", False),
            )
            formset.new_objects.append(msg)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # --- bulk actions -------------------------------------------------------------------

    @admin.action(description="Assign to me")
    def assign_to_me(self, request, queryset):
        count = 0
        for ticket in queryset.select_related("agency", "request"):
            if services.ticket_assign(ticket=ticket, assignee=request.user, actor=request.user):
                count += 1
        self.message_user(request, f"{count} ticket(s) assigned to you.", messages.SUCCESS)

    @admin.action(description="Mark in review")
    def mark_in_review(self, request, queryset):
        moved, skipped = 0, 0
        for ticket in queryset.select_related("agency", "request"):
            if not ticket.is_open or ticket.status == Ticket.Status.IN_REVIEW:
                skipped += 1
                continue
            services.ticket_set_status(
                ticket=ticket, status=Ticket.Status.IN_REVIEW, actor=request.user
            )
            moved += 1
        self.message_user(request, f"{moved} ticket(s) marked in review.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} ticket(s) skipped: closed or already in review.",
                messages.WARNING,
            )

    # --- extra staff views --------------------------------------------------------------

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
                "<int:ticket_id>/documents/<int:document_id>/",
                view(self.document_view),
                name="helpdesk_ticket_document",
            ),
            *self.statutory_urls(),
            *super().get_urls(),
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

    def escalation_letter_view(self, request, ticket_id: int):
        ticket = self._ticket(request, ticket_id)
        pdf = escalation_letter_pdf(ticket=ticket)
        services.ticket_escalation_letter_record(ticket=ticket, actor=request.user)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="escalation-ticket-{ticket.pk}.pdf"'
        return response

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
        return FileResponse(
            doc.file.open("rb"),
            as_attachment=doc.content_type not in INLINE_CONTENT_TYPES,
            filename=doc.original_name,
            content_type=doc.content_type,
        )
