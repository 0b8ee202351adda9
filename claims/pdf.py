"""The loss summary PDF for underwriters (WeasyPrint)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Agency
from claims.readiness import Readiness
from claims.summaries import InsuredSummary


def summary_pdf(*, agency: Agency, summary: InsuredSummary, readiness: Readiness) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(
        "claims/summary_pdf.html",
        {
            "agency": agency,
            "summary": summary,
            "readiness": readiness,
            "generated_on": timezone.localdate(timezone=agency.tz),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
