"""The ticket queue and change page. Every write goes through helpdesk.services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from helpdesk import services
from helpdesk.admin.filters import OverdueFilter
from helpdesk.admin.inlines import ProofCoverageInline, TicketEventInline, TicketMessageInline
from helpdesk.admin.panels import TicketDisplayMixin
from helpdesk.admin.staff_views import TicketStaffViewsMixin
from helpdesk.forms import TicketAdminForm
from helpdesk.models import Ticket, TicketMessage


@admin.register(Ticket)
class TicketAdmin(TicketDisplayMixin, TicketStaffViewsMixin, admin.ModelAdmin):
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
        "updated_at",
    ]
    list_display_links = ["id", "insured"]
    list_filter = [
        "status",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        "agency",
        ("request__carrier", admin.RelatedOnlyFieldListFilter),
        OverdueFilter,
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
