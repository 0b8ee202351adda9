"""The Help Desk admin's statutory pieces: a column and a filter on tickets, the escalation
kit's links on each ticket, and the ranking of carriers by open and overdue tickets.

A mixin kept apart from helpdesk/admin.py so the ticket admin only lists what it shows.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from config.dates import human_date
from escalation import kit
from helpdesk.ranking import carrier_ticket_ranking
from vault.derived import is_past_statutory, request_deadline, statutory_past_q
from vault.rules import agency_today


class StatutoryDeadlineFilter(admin.SimpleListFilter):
    title = "statutory deadline"
    parameter_name = "statutory"

    def lookups(self, request, model_admin):
        return [
            ("past", "Past, nothing received"),
            ("running", "Running"),
            ("none", "No statutory date"),
        ]

    def queryset(self, request, queryset):
        past = statutory_past_q(timezone.localdate(), via="request__")
        if self.value() == "past":
            return queryset.filter(past)
        if self.value() == "running":
            return queryset.filter(request__statutory_due_on__isnull=False).exclude(past)
        if self.value() == "none":
            return queryset.filter(request__statutory_due_on__isnull=True)
        return queryset


class StatutoryTicketAdminMixin:
    """Adds the "Statutory deadline" panel after the ticket admin's own fieldsets; the
    column, the filter and the URLs are listed by the ticket admin itself."""

    def get_fieldsets(self, request, obj=None):
        panel = ("Statutory deadline and escalation kit", {"fields": ["statutory_panel"]})
        return [*super().get_fieldsets(request, obj), panel]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "statutory_panel"]

    @admin.display(description="statutory due", ordering="request__statutory_due_on")
    def statutory_due(self, obj):
        req = obj.request
        if req.statutory_due_on is None:
            return "—"
        text = f"{human_date(req.statutory_due_on)} ({req.governing_state})"
        if is_past_statutory(req, agency_today(obj.agency)):
            return format_html("<strong>PAST</strong> {}", text)
        return text

    @admin.display(description="statutory deadline")
    def statutory_panel(self, obj):
        req = obj.request
        deadline = request_deadline(req)
        if not is_past_statutory(req, agency_today(obj.agency)):
            return deadline.sentence
        return format_html(
            '{}<br><strong>Past, nothing received.</strong> Escalation kit: <a href="{}">'
            'certified-mail letter (PDF)</a> · <a href="{}">draft complaint to the {} (PDF)</a>',
            deadline.sentence,
            reverse("admin:helpdesk_ticket_kit_letter", args=[obj.pk]),
            reverse("admin:helpdesk_ticket_kit_complaint", args=[obj.pk]),
            deadline.rule.regulator_name,
        )

    def statutory_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:ticket_id>/kit/certified-letter.pdf",
                view(self.kit_letter_view),
                name="helpdesk_ticket_kit_letter",
            ),
            path(
                "<int:ticket_id>/kit/doi-complaint.pdf",
                view(self.kit_complaint_view),
                name="helpdesk_ticket_kit_complaint",
            ),
            path(
                "carriers/",
                view(self.carrier_ranking_view),
                name="helpdesk_ticket_carrier_ranking",
            ),
        ]

    def _kit_view(self, request, ticket_id: int, *, build, what: str):
        ticket = self._ticket(request, ticket_id)
        req = kit.kit_request_for_staff(request_id=ticket.request_id)
        try:
            pdf = build(request=req)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.WARNING)
            return redirect("admin:helpdesk_ticket_change", ticket.pk)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{kit.kit_filename(req, what)}"'
        return response

    def kit_letter_view(self, request, ticket_id: int):
        return self._kit_view(request, ticket_id, build=kit.kit_letter_pdf, what="certified-letter")

    def kit_complaint_view(self, request, ticket_id: int):
        return self._kit_view(
            request, ticket_id, build=kit.kit_complaint_pdf, what="doi-complaint-draft"
        )

    def carrier_ranking_view(self, request):
        if not self.has_view_or_change_permission(request):
            return redirect("admin:index")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Carriers by open and overdue tickets",
            "rows": list(carrier_ticket_ranking()),
        }
        return TemplateResponse(request, "admin/helpdesk/ticket/carrier_ranking.html", context)
