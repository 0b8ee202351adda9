"""How a carrier's spreadsheet columns map to claim fields, remembered per agency."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import scoped
from claims.headers import normalize_header
from claims.models import CarrierHeaderMapping
from vault.models import Carrier


def header_mapping_for(*, agency: Agency, carrier: Carrier) -> dict[str, str]:
    found = scoped(CarrierHeaderMapping, agency).filter(carrier=carrier).first()
    return dict(found.mapping) if found else {}


@transaction.atomic
def header_mapping_remember(
    *, agency: Agency, carrier: Carrier, headers: list[str], fields: list[str]
) -> CarrierHeaderMapping:
    """Remember how this carrier's columns map, merged over what was remembered before."""
    row, _ = scoped(CarrierHeaderMapping.objects.select_for_update(), agency).get_or_create(
        agency=agency, carrier=carrier
    )
    mapping = dict(row.mapping)
    for header, field in zip(headers, fields, strict=False):
        key = normalize_header(header)
        if key:
            mapping[key] = field
    row.mapping = mapping
    row.updated_at = timezone.now()
    row.save(update_fields=["mapping", "updated_at"])
    return row
