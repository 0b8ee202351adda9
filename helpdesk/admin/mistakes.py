"""Staff keep the Common Mistakes list that returned tickets cite."""

from __future__ import annotations

from django.contrib import admin

from helpdesk.models import CommonMistake


@admin.register(CommonMistake)
class CommonMistakeAdmin(admin.ModelAdmin):
    list_display = ["title", "ordering", "active"]
    list_editable = ["ordering", "active"]
    list_filter = ["active"]
    search_fields = ["title", "explanation", "what_to_do"]
