"""The loss summary PDF for underwriters (WeasyPrint)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Agency
from claims.summaries import InsuredSummary


def summary_pdf(*, agency: Agency, summary: InsuredSummary) -> bytes:
    """The loss summary for underwriters, on the agency's letterhead.

    Readiness (the agency's own to-do: gaps, stale valuations) stays off it: the PDF shows
    the figures, not the agency's internal badges.
    """
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(
        "claims/summary_pdf.html",
        {
            "agency": agency,
            "summary": summary,
            "generated_on": timezone.localdate(timezone=agency.tz),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
