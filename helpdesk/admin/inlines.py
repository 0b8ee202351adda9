"""Inlines of the ticket change page: the reply box and the audit trail."""

from __future__ import annotations

from django.contrib import admin

from helpdesk.models import TicketEvent, TicketMessage


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TicketMessageInline(admin.StackedInline):
    """The reply box under the conversation: one new message, public or an internal note.

    The messages themselves are shown as the thread (TicketThreadMixin.conversation); a new
    one goes out through ticket_add_message (TicketAdmin.save_formset).
    """

    model = TicketMessage
    extra = 1
    max_num = 1
    can_delete = False
    fields = ["body", "is_internal"]
    verbose_name = "new message"
    verbose_name_plural = (
        "reply (a public message is e-mailed to the agency; an internal note never is)"
    )

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).none()


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
