"""What the ticket admin shows: list columns and the read-only panels of the change page."""

from __future__ import annotations

from django.contrib import admin
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from helpdesk.admin.links import document_link
from vault.models import Document


class TicketDisplayMixin:
    """Columns and panels of TicketAdmin; read-only, no writes."""

    # --- list columns -------------------------------------------------------------------

    @admin.display(description="insured", ordering="request__insured__legal_name")
    def insured(self, obj):
        return obj.request.insured

    @admin.display(description="carrier", ordering="request__carrier__legal_name")
    def carrier(self, obj):
        return obj.request.carrier.legal_name

    @admin.display(description="first response due", ordering="first_response_due_at")
    def first_response_due(self, obj):
        when = timezone.localtime(obj.first_response_due_at, obj.agency.tz)
        text = f"{when:%m/%d/%Y %I:%M %p} {when.tzname()}"
        if obj.is_overdue():
            return format_html(
                '<img src="{}" alt=""> <strong>OVERDUE</strong> {}',
                static("admin/img/icon-alert.svg"),
                text,
            )
        if obj.first_responded_at:
            return format_html("{} <span>(answered)</span>", text)
        return text

    # --- change-page panels -------------------------------------------------------------

    @admin.display(description="request")
    def request_link(self, obj):
        url = reverse("admin:vault_lossrunrequest_change", args=[obj.request_id])
        return format_html('<a href="{}">#{}: {}</a>', url, obj.request_id, obj.request)

    @admin.display(description="dates")
    def request_dates(self, obj):
        req = obj.request
        tz = obj.agency.tz
        rows = [
            ("Request created", f"{timezone.localtime(req.created_at, tz):%m/%d/%Y}"),
            (
                "1st request sent",
                f"{req.first_request_on:%m/%d/%Y}" if req.first_request_on else "—",
            ),
            (
                "2nd request sent",
                f"{timezone.localtime(req.second_request_at, tz):%m/%d/%Y %I:%M %p}"
                if req.second_request_at
                else "—",
            ),
            (
                "Help desk due since",
                f"{timezone.localtime(req.helpdesk_due_at, tz):%m/%d/%Y %I:%M %p}"
                if req.helpdesk_due_at
                else "—",
            ),
            ("Received", f"{req.received_on:%m/%d/%Y}" if req.received_on else "not yet"),
            ("Years requested", str(req.years_requested)),
            ("Loss runs on file", _loss_runs_on_file(req)),
        ]
        return format_html(
            '<table class="hd-panel">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    @admin.display(description="policies")
    def policy_list(self, obj):
        rows = [
            (
                p.policy_number,
                p.get_line_of_business_display(),
                f"{p.term_start:%m/%d/%Y}–{p.term_end:%m/%d/%Y}",
            )
            for p in obj.request.policies.all()
        ]
        return format_html(
            '<table class="hd-panel">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description="contacts")
    def carrier_contacts(self, obj):
        c = obj.request.carrier
        rows = [
            ("Carrier", str(c)),
            ("Loss-run e-mail", c.loss_run_email or "—"),
            ("Fax", c.fax or "—"),
            ("Phone", c.phone or "—"),
            ("Mailing address", c.mailing_address or "—"),
        ]
        if c.notes:
            rows.append(("Notes", c.notes))
        return format_html(
            '<table class="hd-panel">{}</table>',
            format_html_join("", '<tr><th>{}</th><td class="hd-pre">{}</td></tr>', rows),
        )

    @admin.display(description="signed first request")
    def signed_first_request_link(self, obj):
        return document_link(obj.pk, obj.signed_first_request)


def _loss_runs_on_file(req) -> str:
    """The request's loss-run documents (the agency imports them), newest first."""
    names = [
        d.original_name
        for d in req.documents.filter(kind=Document.Kind.LOSS_RUN).order_by("-uploaded_at")
    ]
    return ", ".join(names) or "none yet: attach them when resolving as received"
