"""The ticket queue and change page. Every write goes through helpdesk.services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from helpdesk import services
from helpdesk.admin.filters import OverdueFilter
from helpdesk.admin.inlines import TicketEventInline, TicketMessageInline
from helpdesk.admin.panels import TicketDisplayMixin, TicketThreadMixin
from helpdesk.admin.queue import ticket_queue
from helpdesk.admin.staff_views import TicketStaffViewsMixin
from helpdesk.admin.statutory import StatutoryDeadlineFilter, StatutoryTicketAdminMixin
from helpdesk.forms import TicketAdminForm
from helpdesk.models import Ticket, TicketMessage
from vault.documents import too_large_message


class StaffActionRefused(Exception):
    """A service refused a step of the change form; raised to roll the whole change back."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


@admin.register(Ticket)
class TicketAdmin(
    StatutoryTicketAdminMixin,
    TicketDisplayMixin,
    TicketThreadMixin,
    TicketStaffViewsMixin,
    admin.ModelAdmin,
):
    form = TicketAdminForm
    save_on_top = True  # the ticket's actions first: status, reply, save
    list_display = [
        "ticket",
        "carrier_agency",
        "status_assignee",
        "first_response_due",
        "statutory_due",
        "updated",
    ]
    list_display_links = ["ticket"]
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
    inlines = [TicketMessageInline, TicketEventInline]
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
        "conversation",
        "documents_panel",
    ]
    fieldsets = [
        (
            "Work the ticket",
            {
                "fields": [
                    "status",
                    "received_on",
                    "loss_run_file",
                    "status_note",
                    "assignee",
                    "priority",
                ]
            },
        ),
        # change_form.html puts the reply box (TicketMessageInline) right under this one.
        ("Conversation", {"fields": ["conversation"]}),
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
        ("The request", {"fields": ["request_dates", "policy_list"]}),
        ("Documents", {"fields": ["documents_panel"]}),
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

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"queue": ticket_queue(), **(extra_context or {})})

    # --- writes through services --------------------------------------------------------
    #
    # The whole change view runs in one transaction (ModelAdmin.changeform_view). A refused
    # step raises StaffActionRefused out of it, so nothing of the earlier steps (nor their
    # queued e-mails) stays; the form is then shown again with what the staff typed and the
    # reason nothing was saved.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaffActionRefused as exc:
            request.staff_action_refused = exc.messages
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refused = list(getattr(request, "staff_action_refused", None) or [])
        too_large = getattr(request, "upload_refused_size", None)
        if too_large is not None:
            refused.append(too_large_message(too_large))
        if refused:
            errors = tuple(f"Nothing was saved: {m}" for m in refused)
            form = type(form.__name__, (form,), {"staff_action_errors": errors})
        return form

    def save_model(self, request, obj, form, change):
        if not change:  # adding is disabled (has_add_permission)
            raise PermissionDenied("Tickets are created by agencies.")
        ticket = Ticket.objects.select_related("agency", "request").get(pk=obj.pk)
        data = form.cleaned_data
        try:
            services.ticket_staff_update(
                ticket=ticket,
                actor=request.user,
                status=data["status"],
                assignee=data["assignee"],
                priority=data["priority"],
                received_on=data.get("received_on"),
                note=data.get("status_note", ""),
                loss_run_file=data.get("loss_run_file"),
            )
        except ValidationError as exc:
            raise StaffActionRefused(exc.messages) from exc

    def save_formset(self, request, form, formset, change):
        # Nothing is saved by the formset itself; the admin's change message reads these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not TicketMessage:
            return
        ticket = Ticket.objects.select_related("agency", "request").get(pk=form.instance.pk)
        for f in formset.extra_forms:
            if not f.has_changed() or not f.cleaned_data.get("body", "").strip():
                continue
            try:
                msg = services.ticket_add_message(
                    ticket=ticket,
                    author=request.user,
                    body=f.cleaned_data["body"],
                    is_internal=f.cleaned_data.get("is_internal", False),
                )
            except ValidationError as exc:
                raise StaffActionRefused(exc.messages) from exc
            formset.new_objects.append(msg)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # --- bulk actions -------------------------------------------------------------------

    def _refused(self, request, refused: list[str]) -> None:
        if refused:
            self.message_user(request, f"Not changed: {'; '.join(refused)}", messages.ERROR)

    @admin.action(description="Assign to me")
    def assign_to_me(self, request, queryset):
        """Each ticket is its own transaction: the message names every one that was refused."""
        count, refused = 0, []
        for ticket in queryset.select_related("agency", "request"):
            try:
                if services.ticket_assign(ticket=ticket, assignee=request.user, actor=request.user):
                    count += 1
            except ValidationError as exc:
                refused.append(f"#{ticket.pk}: {' '.join(exc.messages)}")
        self.message_user(request, f"{count} ticket(s) assigned to you.", messages.SUCCESS)
        self._refused(request, refused)

    @admin.action(description="Mark in review")
    def mark_in_review(self, request, queryset):
        moved, skipped, refused = 0, 0, []
        for ticket in queryset.select_related("agency", "request"):
            if not ticket.is_open or ticket.status == Ticket.Status.IN_REVIEW:
                skipped += 1
                continue
            try:
                services.ticket_set_status(
                    ticket=ticket, status=Ticket.Status.IN_REVIEW, actor=request.user
                )
            except ValidationError as exc:
                refused.append(f"#{ticket.pk}: {' '.join(exc.messages)}")
                continue
            moved += 1
        self.message_user(request, f"{moved} ticket(s) marked in review.", messages.SUCCESS)
        self._refused(request, refused)
        if skipped:
            self.message_user(
                request,
                f"{skipped} ticket(s) skipped: closed or already in review.",
                messages.WARNING,
            )
