from django.contrib import admin, messages

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
        "sent_at",
        "attempts",
        "short_error",
    ]
    list_filter = ["status", "milestone"]
    search_fields = [
        "=id",
        "=request__id",
        "agency__name",
        "request__insured__legal_name",
        "request__carrier__legal_name",
        "recipients",
        "last_error",
    ]
    list_select_related = ["agency", "request__insured", "request__carrier"]
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
        "claimed_at",
        "sent_at",
        "attempts",
        "next_attempt_at",
        "last_error",
        "recipients",
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

    @admin.display(description="last error")
    def short_error(self, obj: Notification) -> str:
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

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
