"""Staff's view of the outbox: every e-mail, its status and error, and "retry now"."""

from django.contrib import admin, messages
from django.utils.html import format_html_join

from outbox.models import Email
from outbox.services import emails_retry_now


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "created_at",
        "kind",
        "status",
        "agency",
        "recipients",
        "subject",
        "attempts",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "kind", "agency", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["=id", "subject", "to", "message_id", "last_error", "agency__name"]
    list_select_related = ["agency"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    actions = ["retry_now"]
    readonly_fields = [
        "agency",
        "kind",
        "status",
        "last_error",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "created_at",
        "from_email",
        "to",
        "cc",
        "reply_to",
        "subject",
        "message_id",
        "headers",
        "attachment_list",
        "about_type",
        "about_id",
        "text_body",
        "html_body",
    ]
    exclude = ["attachments", "claim_token"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the row is the record that the message went out (or why not)

    @admin.display(description="to")
    def recipients(self, obj: Email) -> str:
        return ", ".join(obj.to)

    @admin.display(description="last error")
    def short_error(self, obj: Email) -> str:
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.display(description="attachments")
    def attachment_list(self, obj: Email) -> str:
        return format_html_join(
            ", ", "{} ({})", ((a["filename"], a["content_type"]) for a in obj.attachments)
        )

    @admin.action(description="Retry now (pending or failed e-mails only)")
    def retry_now(self, request, queryset):
        selected = list(queryset.values_list("id", flat=True))
        ids = emails_retry_now(email_ids=selected)
        self.message_user(request, f"{len(ids)} e-mail(s) queued for delivery.", messages.SUCCESS)
        if len(selected) > len(ids):
            self.message_user(
                request,
                f"{len(selected) - len(ids)} e-mail(s) skipped: already sent, being sent or cancelled.",
                messages.WARNING,
            )
