"""Links from help-desk admin pages to the documents attached to a ticket."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from vault.models import Document


def document_link(ticket_id: int, doc: Document) -> str:
    """A link to the staff-only download of `doc` through its ticket."""
    url = reverse("admin:helpdesk_ticket_document", args=[ticket_id, doc.pk])
    return format_html('<a href="{}">{}</a> ({})', url, doc.original_name, doc.get_kind_display())
