from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from tracker.models import Notification
from tracker.services import notifications_retry_now


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "milestone",
        "status",
        "agency",
        "request_link",
        "due_at",
        "email_status",
        "short_error",
    ]
    list_filter = ["status", "milestone", "email__status"]
    search_fields = [
        "=id",
        "=request__id",
        "agency__name",
        "request__insured__legal_name",
        "request__carrier__legal_name",
        "email__to",
        "last_error",
    ]
    list_select_related = ["agency", "request__insured", "request__carrier", "email"]
    date_hierarchy = "due_at"
    ordering = ["-due_at", "-id"]
    actions = ["retry_now"]
    readonly_fields = [
        "agency",
        "request",
        "milestone",
        "basis",
        "due_at",
        "status",
        "created_at",
        "last_error",
        "email_link",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a deleted row could be recreated and its notice sent twice

    @admin.display(description="request", ordering="request_id")
    def request_link(self, obj: Notification) -> str:
        return f"#{obj.request_id} {obj.request.insured} / {obj.request.carrier}"

    @admin.display(description="e-mail", ordering="email__status")
    def email_status(self, obj: Notification) -> str:
        return obj.email.get_status_display() if obj.email else "—"

    @admin.display(description="e-mail")
    def email_link(self, obj: Notification) -> str:
        if obj.email is None:
            return "—"
        url = reverse("admin:outbox_email_change", args=[obj.email_id])
        return format_html('<a href="{}">{}</a>', url, obj.email.get_status_display())

    @admin.display(description="last error")
    def short_error(self, obj: Notification) -> str:
        error = obj.last_error or (obj.email.last_error if obj.email else "")
        return (error[:80] + "…") if len(error) > 80 else error

    @admin.action(description="Retry now (pending or failed notices only)")
    def retry_now(self, request, queryset):
        ids = notifications_retry_now(notification_ids=list(queryset.values_list("id", flat=True)))
        skipped = queryset.count() - len(ids)
        self.message_user(request, f"{len(ids)} notice(s) queued for delivery.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} notice(s) skipped: already sent, being sent or cancelled.",
                messages.WARNING,
            )
