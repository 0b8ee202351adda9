"""The carrier directory as an agency sees it: where and how a request goes to a carrier.

Platform carriers are maintained by staff in the admin; an agency's private carriers and
its own notes and override addresses for a platform carrier (CarrierAgencyNote) are seen
by that agency only. `carrier_route` is the one rule for how a request is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Agency
from accounts.tenancy import scoped
from vault.models import Carrier, CarrierAgencyNote


class Method:
    EMAIL = "email"
    FAX = "fax"
    PORTAL = "portal"
    MAIL = "mail"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CarrierRoute:
    """Where a request to this carrier goes, with the agency's own overrides applied."""

    carrier: Carrier
    method: str
    email: str
    fax: str
    portal_url: str
    phone: str
    mailing_address: str
    requirements: str
    agency_notes: str
    overridden: bool

    @property
    def by_email(self) -> bool:
        return self.method == Method.EMAIL

    @property
    def summary(self) -> str:
        if self.method == Method.EMAIL:
            return f"E-mail to {self.email}"
        if self.method == Method.FAX:
            return f"Fax only: print and fax to {self.fax}"
        if self.method == Method.PORTAL:
            return "Portal: upload there"
        if self.method == Method.MAIL:
            return "Mail only: print and mail"
        return "No loss-run contact on file: add one to the carrier's directory entry"


def carrier_note_get(*, agency: Agency, carrier: Carrier) -> CarrierAgencyNote | None:
    return scoped(CarrierAgencyNote, agency).filter(carrier=carrier).first()


def carrier_route(
    *, agency: Agency, carrier: Carrier, note: CarrierAgencyNote | None = None
) -> CarrierRoute:
    """E-mail when an address is known (the agency's override first), else fax, else the
    portal, else mail. `note` may be passed when already loaded."""
    if carrier.agency_id is not None and carrier.agency_id != agency.pk:
        raise ValueError("Another agency's private carrier.")
    if note is None:
        note = carrier_note_get(agency=agency, carrier=carrier)
    email = (note.loss_run_email if note else "") or carrier.loss_run_email
    fax = (note.fax if note else "") or carrier.fax
    if email:
        method = Method.EMAIL
    elif fax:
        method = Method.FAX
    elif carrier.portal_url:
        method = Method.PORTAL
    elif carrier.mailing_address:
        method = Method.MAIL
    else:
        method = Method.UNKNOWN
    return CarrierRoute(
        carrier=carrier,
        method=method,
        email=email,
        fax=fax,
        portal_url=carrier.portal_url,
        phone=carrier.phone,
        mailing_address=carrier.mailing_address,
        requirements=carrier.requirements,
        agency_notes=note.notes if note else "",
        overridden=bool(note and (note.loss_run_email or note.fax)),
    )


@transaction.atomic
def carrier_note_save(
    *, agency: Agency, carrier: Carrier, loss_run_email: str, fax: str, notes: str
) -> CarrierAgencyNote | None:
    """The agency's own notes and overrides for a carrier it can see; all empty deletes them."""
    if carrier.agency_id is not None and carrier.agency_id != agency.pk:
        raise ValidationError("Choose a carrier from the directory or one of your own.")
    values = {"loss_run_email": loss_run_email.strip(), "fax": fax.strip(), "notes": notes.strip()}
    if not any(values.values()):
        scoped(CarrierAgencyNote, agency).filter(carrier=carrier).delete()
        return None
    note = carrier_note_get(agency=agency, carrier=carrier) or CarrierAgencyNote(
        agency=agency, carrier=carrier
    )
    for name, value in values.items():
        setattr(note, name, value)
    note.full_clean(exclude=["agency", "carrier"], validate_constraints=False)
    note.save()
    return note


PRIVATE_EDITABLE = (
    "legal_name",
    "naic_code",
    "loss_run_email",
    "fax",
    "phone",
    "portal_url",
    "mailing_address",
    "requirements",
)


@transaction.atomic
def carrier_update_private(*, agency: Agency, carrier: Carrier, **fields: str) -> Carrier:
    """Edit one of the agency's own private carriers (platform carriers are staff's)."""
    if carrier.agency_id != agency.pk:
        raise ValidationError("Only your agency's private carriers can be edited here.")
    unknown = set(fields) - set(PRIVATE_EDITABLE)
    if unknown:
        raise TypeError(f"Unknown carrier fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(carrier, name, value.strip() if isinstance(value, str) else value)
    carrier.full_clean(exclude=["agency"])
    carrier.save(update_fields=list(fields) or None)
    return carrier
