"""Reads for the Carriers page: the carriers an agency may use, with their figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q

from accounts.models import Agency
from escalation.performance import (
    CarrierFigures,
    agency_carrier_figures,
    platform_carrier_figures,
)
from vault.models import Carrier
from vault.selectors import carriers_visible

CARRIERS_PER_PAGE = 50


@dataclass(frozen=True)
class CarrierRow:
    carrier: Carrier
    mine: CarrierFigures | None
    platform: CarrierFigures | None


def carrier_page(*, agency: Agency, q: str = "", page: int | str = 1) -> tuple[Page, list]:
    """One page of the directory plus the agency's private carriers, each with the agency's
    own figures and the platform's (when enough stands behind it): a constant number of
    queries per page."""
    qs = carriers_visible(agency=agency).order_by("legal_name", "id")
    q = q.strip()
    if q:
        qs = qs.filter(Q(legal_name__icontains=q) | Q(naic_code__istartswith=q))
    page_obj = Paginator(qs, CARRIERS_PER_PAGE).get_page(page)
    ids = [c.pk for c in page_obj.object_list]
    mine = agency_carrier_figures(agency=agency, carrier_ids=ids)
    platform = platform_carrier_figures(carrier_ids=ids)
    rows = [CarrierRow(c, mine.get(c.pk), platform.get(c.pk)) for c in page_obj.object_list]
    return page_obj, rows


def carrier_row(*, agency: Agency, carrier: Carrier) -> CarrierRow:
    return CarrierRow(
        carrier,
        agency_carrier_figures(agency=agency, carrier_ids=[carrier.pk]).get(carrier.pk),
        platform_carrier_figures(carrier_ids=[carrier.pk]).get(carrier.pk),
    )
