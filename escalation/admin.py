"""Staff maintain the state rules here. Registered by this app rather than statutes (which
sits below the vault) because a changed rule recomputes the due dates of its state's
requests, a vault write."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone

from statutes.models import StateRule
from vault.derived import state_requests_refresh


@admin.register(StateRule)
class StateRuleAdmin(admin.ModelAdmin):
    list_display = [
        "state",
        "window_days",
        "day_count",
        "trigger",
        "history_years",
        "reserves",
        "citation",
        "confidence",
        "updated_at",
    ]
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
