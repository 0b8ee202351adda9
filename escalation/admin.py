"""Staff maintain the state rules here and see the escalation kits sent. The rules are
registered by this app rather than statutes (which sits below the vault) because a changed
rule recomputes the due dates of its state's requests, a vault write."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from config.dates import human_date
from escalation.models import EscalationKit
from statutes.models import StateRule
from vault.derived import state_requests_refresh


@admin.register(StateRule)
class StateRuleAdmin(admin.ModelAdmin):
    # Columns that wrap (a line and a quieter second line), so the table fits 1366 px with
    # the admin's navigation and the filters open.
    list_display = ["state", "window", "covers", "citation", "confidence", "updated"]
    list_filter = ["confidence", "day_count", "trigger"]
    search_fields = ["state", "citation", "lines", "source_note"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["state", "citation", "confidence", "source_note"]}),
        ("The window", {"fields": ["window_days", "day_count", "trigger", "trigger_text"]}),
        ("What the report covers", {"fields": ["history_years", "lines", "reserves"]}),
        ("Escalation", {"fields": ["regulator"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description="window", ordering="window_days")
    def window(self, obj):
        return format_html(
            '{} {}<span class="hd-line2">{}</span>',
            obj.window_days,
            obj.get_day_count_display(),
            obj.get_trigger_display(),
        )

    @admin.display(description="history · reserves", ordering="history_years")
    def covers(self, obj):
        years = f"{obj.history_years} years" if obj.history_years else "years not stated"
        return format_html(
            '{}<span class="hd-line2">reserves: {}</span>', years, obj.get_reserves_display()
        )

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, obj):
        return human_date(timezone.localtime(obj.updated_at).date())

    def _refreshed(self, request, states: set[str]) -> None:
        count = sum(state_requests_refresh(state=s) for s in states)
        self.message_user(
            request,
            f"Statutory due dates recomputed for {count} request(s) in {', '.join(sorted(states))}.",
            messages.INFO,
        )

    def save_model(self, request, obj, form, change):
        states = {obj.state}
        if change and "state" in form.changed_data:
            states.add(form.initial["state"])
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        self._refreshed(request, states)

    def delete_model(self, request, obj):
        state = obj.state
        super().delete_model(request, obj)
        self._refreshed(request, {state})

    def delete_queryset(self, request, queryset):
        states = set(queryset.values_list("state", flat=True))
        super().delete_queryset(request, queryset)
        self._refreshed(request, states)


@admin.register(EscalationKit)
class EscalationKitAdmin(admin.ModelAdmin):
    """The kits the sweep sent (escalation.sending): a record, never edited by hand."""

    list_display = ["request", "agency", "due_on", "citation", "sent_at", "email_status", "ticket"]
    list_filter = ["due_on", "sent_at"]
    search_fields = ["request__insured__legal_name", "request__carrier__legal_name", "citation"]
    list_select_related = ["request__insured", "request__carrier", "agency", "email"]
    fields = [
        "request",
        "agency",
        "due_on",
        "citation",
        "sent_at",
        "email_status",
        "ticket",
        "note",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="e-mail")
    def email_status(self, obj):
        return obj.email.get_status_display() if obj.email else obj.note or "—"

    @admin.display(description="Help Desk ticket")
    def ticket(self, obj):
        if obj.ticket_id is None:
            return "—"
        return format_html(
            '<a href="{}">#{}</a>',
            reverse("admin:helpdesk_ticket_change", args=[obj.ticket_id]),
            obj.ticket_id,
        )
