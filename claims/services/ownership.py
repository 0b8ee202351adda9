"""Checks that the rows a claims write is handed belong to the writing agency."""

from __future__ import annotations

from accounts.models import Agency
from vault.models import Carrier, Insured


def check_tenant(agency: Agency, insured: Insured, carrier: Carrier) -> None:
    if insured.agency_id != agency.pk:
        raise ValueError("The insured belongs to another agency.")
    if carrier.agency_id not in (None, agency.pk):
        raise ValueError("The carrier is another agency's private carrier.")
