"""What the ticket admin shows: list columns and the read-only panels of the change page."""

from __future__ import annotations

from django.contrib import admin
from django.template.defaultfilters import linebreaksbr
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from config.dates import human_date, human_datetime
from helpdesk.admin.links import document_link
from helpdesk.models import Ticket
from vault.models import Document
from vault.rules import request_years_text


def first_response_due_html(ticket: Ticket) -> str:
    """The due time in the agency's zone, flagged OVERDUE or marked answered."""
    when = timezone.localtime(ticket.first_response_due_at, ticket.agency.tz)
    text = f"{human_datetime(when, when.tzinfo)} {when.tzname()}"
    if ticket.is_overdue():
        return format_html(
            '<img src="{}" alt=""> <strong>OVERDUE</strong> {}',
            static("admin/img/icon-alert.svg"),
            text,
        )
    if ticket.first_responded_at:
        return format_html("{} <span>(answered)</span>", text)
    return text


class TicketDisplayMixin:
    """Columns and panels of TicketAdmin; read-only, no writes."""

    # --- list columns -------------------------------------------------------------------

    # Few columns that wrap, so the queue fits 1366 px with the admin's navigation and the
    # filters open: what a column holds reads as a line and a quieter second line.

    @admin.display(description="ticket", ordering="id")
    def ticket(self, obj):
        return format_html("#{} {}", obj.pk, obj.request.insured)

    @admin.display(description="carrier · agency", ordering="request__carrier__legal_name")
    def carrier_agency(self, obj):
        return format_html(
            '{}<span class="hd-line2">{}</span>', obj.request.carrier.legal_name, obj.agency.name
        )

    @admin.display(description="status · assignee", ordering="status")
    def status_assignee(self, obj):
        who = str(obj.assignee) if obj.assignee else "unassigned"
        normal = obj.priority == Ticket.Priority.NORMAL
        priority = "" if normal else f" · {obj.get_priority_display()} priority"
        return format_html(
            '{}<span class="hd-line2">{}{}</span>', obj.get_status_display(), who, priority
        )

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, obj):
        return human_date(timezone.localtime(obj.updated_at, obj.agency.tz).date())

    @admin.display(description="first response due", ordering="first_response_due_at")
    def first_response_due(self, obj):
        return first_response_due_html(obj)

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
            ("Years requested", request_years_text(req)),
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


class TicketThreadMixin:
    """The change page's conversation (messages and status moves, oldest first) and its
    documents, each listed once with every role it plays on the ticket."""

    @admin.display(description="conversation")
    def conversation(self, obj):
        tz = obj.agency.tz
        items = []
        for msg in obj.messages.select_related("author").prefetch_related("documents"):
            if msg.by_product:
                side, label = "hd-msg-staff", "automatic note (shown to the agency)"
            elif msg.is_internal:
                side, label = "hd-msg-internal", "internal note (never shown to the agency)"
            elif msg.from_staff:
                side, label = "hd-msg-staff", "help desk"
            else:
                side, label = "hd-msg-agency", "agency"
            docs = list(msg.documents.all())
            attached = (
                format_html(
                    '<p class="hd-attached">Attached: {}</p>',
                    format_html_join(", ", "{}", ((document_link(obj.pk, d),) for d in docs)),
                )
                if docs
                else ""
            )
            items.append(
                (
                    msg.created_at,
                    format_html(
                        '<li class="hd-msg {}"><p class="hd-msg-head"><strong>{}</strong> · {}'
                        ' · <time datetime="{}">{}</time></p><div class="hd-msg-body">{}</div>{}'
                        "</li>",
                        side,
                        "the product" if msg.by_product else (msg.author or "deleted user"),
                        label,
                        msg.created_at.isoformat(),
                        human_datetime(msg.created_at, tz),
                        linebreaksbr(msg.body),
                        attached,
                    ),
                )
            )
        for event in obj.events.select_related("actor").filter(to_status__gt=""):
            items.append(
                (
                    event.created_at,
                    format_html(
                        '<li class="hd-event">{} → <strong>{}</strong> by {} · '
                        '<time datetime="{}">{}</time>{}</li>',
                        event.get_from_status_display() or "new",
                        event.get_to_status_display(),
                        event.actor or "the system",
                        event.created_at.isoformat(),
                        human_datetime(event.created_at, tz),
                        format_html(": {}", event.detail) if event.detail else "",
                    ),
                )
            )
        if not items:
            return "No messages yet."
        items.sort(key=lambda item: item[0])
        return format_html(
            '<ol class="hd-thread">{}</ol>', format_html_join("", "{}", ((h,) for _, h in items))
        )

    @admin.display(description="documents")
    def documents_panel(self, obj):
        roles: dict[int, tuple[Document, list[str]]] = {}

        def add(doc: Document, role: str) -> None:
            found = roles.setdefault(doc.pk, (doc, []))[1]
            if role not in found:
                found.append(role)

        add(obj.signed_first_request, "signed first request")
        covers: dict[int, list[str]] = {}
        for proof in obj.proofs.select_related("document"):
            covers.setdefault(proof.document_id, []).append(proof.policy_number)
            roles.setdefault(proof.document_id, (proof.document, []))
        for doc_id, numbers in covers.items():
            add(roles[doc_id][0], f"proof of carrier for {', '.join(sorted(numbers))}")
        for msg in obj.messages.prefetch_related("documents"):
            for doc in msg.documents.all():
                add(doc, f"attached to {_message_kind(msg)}")
        rows = [(document_link(obj.pk, doc), "; ".join(found)) for doc, found in roles.values()]
        return format_html(
            '<table class="hd-panel hd-documents">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )


def _message_kind(msg) -> str:
    if msg.by_product:
        return "the product's automatic note (escalation kit)"
    return f"{'a help desk' if msg.from_staff else 'an agency'} message"


def _loss_runs_on_file(req) -> str:
    """The request's loss-run documents (the agency imports them), newest first."""
    names = [
        d.original_name
        for d in req.documents.filter(kind=Document.Kind.LOSS_RUN).order_by("-uploaded_at")
    ]
    return ", ".join(names) or "none yet: attach them when resolving as received"
