"""Inlines of the ticket change page: proofs, the message thread and the audit trail."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join

from helpdesk.admin.links import document_link
from helpdesk.models import ProofCoverage, TicketEvent, TicketMessage


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
        return document_link(obj.ticket_id, obj.document)

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
        if obj.by_product:
            return "the product (automatic note)"
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
        return format_html_join(", ", "{}", ((document_link(obj.ticket_id, d),) for d in docs))


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
