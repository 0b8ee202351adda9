"""What the ticket admin shows: list columns and the read-only panels of the change page."""

from __future__ import annotations

from django.contrib import admin
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from config.dates import human_date, human_datetime
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
        text = f"{human_datetime(when, when.tzinfo)} {when.tzname()}"
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
            ("Request created", human_date(timezone.localtime(req.created_at, tz).date())),
            (
                "1st request sent",
                human_date(req.first_request_on) or "—",
            ),
            (
                "2nd request sent",
                human_datetime(req.second_request_at, tz) or "—",
            ),
            (
                "Help desk due since",
                human_datetime(req.helpdesk_due_at, tz) or "—",
            ),
            ("Received", human_date(req.received_on) or "not yet"),
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
                f"{human_date(p.term_start)}–{human_date(p.term_end)}",
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
