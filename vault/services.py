"""Writes of the vault: insureds, private carriers, loss-run requests and their policies.

Every function is keyword-only and atomic. Domain rules live in vault.rules and are the
same ones the Request Builder form shows as field errors. Every write that touches a
request's tracking dates refreshes the tracker's schedule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import Agency, User
from accounts.tenancy import scoped
from vault.authorization import history_reason
from vault.derived import governing_state_default, request_derived_refresh
from vault.models import Carrier, Insured, LossRunRequest, Policy
from vault.rules import (
    PolicyData,
    owner_errors,
    policies_errors,
    tracking_dates_errors,
    years_covered,
)
from vault.scheduling import schedule_new, schedule_refresh

__all__ = [
    "PolicyData",
    "carrier_create_private",
    "carrier_promote",
    "insured_create",
    "insured_update",
    "request_create",
    "requests_create_many",
    "request_record_received",
    "request_update",
]

INSURED_FIELDS = (
    "legal_name",
    "dba",
    "mailing_address",
    "state",
    "fein",
    "contact_name",
    "contact_email",
    "contact_phone",
    "signer_name",
    "signer_title",
    "signer_email",
)
CARRIER_PRIVATE_FIELDS = (
    "legal_name",
    "naic_code",
    "loss_run_email",
    "fax",
    "phone",
    "mailing_address",
    "portal_url",
    "requirements",
)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def insured_create(*, agency: Agency, legal_name: str, **fields: Any) -> Insured:
    """A new insured of `agency`. Optional keyword fields: see INSURED_FIELDS."""
    unknown = set(fields) - set(INSURED_FIELDS)
    if unknown:
        raise TypeError(f"Unknown insured fields: {sorted(unknown)}")
    insured = Insured(
        agency=agency, legal_name=_strip(legal_name), **{k: _strip(v) for k, v in fields.items()}
    )
    insured.full_clean(exclude=["agency"])
    insured.save()
    return insured


@transaction.atomic
def insured_update(*, agency: Agency, insured: Insured, **fields: Any) -> Insured:
    if insured.agency_id != agency.pk:
        raise ValidationError("This insured belongs to another agency.")
    unknown = set(fields) - set(INSURED_FIELDS)
    if unknown:
        raise TypeError(f"Unknown insured fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(insured, name, _strip(value))
    insured.full_clean(exclude=["agency"])
    insured.save(update_fields=list(fields) or None)
    return insured


@transaction.atomic
def carrier_create_private(*, agency: Agency, legal_name: str, **fields: Any) -> Carrier:
    """A carrier only `agency` sees (staff can promote it to the platform directory)."""
    unknown = set(fields) - set(CARRIER_PRIVATE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown carrier fields: {sorted(unknown)}")
    carrier = Carrier(
        agency=agency, legal_name=_strip(legal_name), **{k: _strip(v) for k, v in fields.items()}
    )
    carrier.full_clean(exclude=["agency"])
    carrier.save()
    return carrier


@transaction.atomic
def carrier_promote(*, carrier: Carrier) -> Carrier:
    """Staff: move a private carrier into the platform directory (every agency sees it)."""
    if carrier.agency_id is not None:
        carrier.agency = None
        carrier.save(update_fields=["agency"])
    return carrier


def _check_parties(*, agency: Agency, insured: Insured, carrier: Carrier) -> None:
    errors: dict[str, list[str]] = {}
    if insured.agency_id != agency.pk:
        errors["insured"] = ["Choose one of your agency's insureds."]
    if carrier.agency_id is not None and carrier.agency_id != agency.pk:
        errors["carrier"] = ["Choose a carrier from the directory or one of your own."]
    if errors:
        raise ValidationError(errors)


def _validate(
    *,
    agency: Agency,
    policies: list[PolicyData],
    first_request_on: dt.date | None,
    second_request_at: dt.datetime | None,
    received_on: dt.date | None,
    created_at: dt.datetime | None = None,
) -> None:
    errors = policies_errors(policies)
    errors.update(
        tracking_dates_errors(
            agency=agency,
            first_request_on=first_request_on,
            second_request_at=second_request_at,
            received_on=received_on,
            created_at=created_at,
        )
    )
    if errors:
        raise ValidationError(errors)


def _sync_policies(req: LossRunRequest, policies: list[PolicyData]) -> None:
    """Update kept policies (matched by id), create new ones, delete the ones left out."""
    existing = {p.pk: p for p in req.policies.all()}
    keep: set[int] = set()
    for data in policies:
        policy = existing.get(data.id) if data.id else None
        if policy is None:
            policy = Policy(agency_id=req.agency_id, request=req)
        policy.policy_number = data.policy_number.strip()
        policy.line_of_business = data.line_of_business or Policy.Line.GL
        policy.term_start = data.term_start
        policy.term_end = data.term_end
        policy.full_clean(exclude=["agency", "request"])
        policy.save()
        keep.add(policy.pk)
    stale = [pk for pk in existing if pk not in keep]
    if stale:
        scoped(Policy, req.agency).filter(request=req, pk__in=stale).delete()


def _years(years_requested: int | None, policies: list[PolicyData]) -> int:
    """The years typed, or (left blank) the years the terms cover."""
    if years_requested is not None:
        return years_requested
    return years_covered([(p.term_start, p.term_end) for p in policies])


@transaction.atomic
def request_create(
    *,
    agency: Agency,
    user: User | None,
    insured: Insured,
    carrier: Carrier,
    policies: list[PolicyData],
    years_requested: int | None = None,
    recipient_name: str = "",
    recipient_email: str = "",
    notes: str = "",
    first_request_on: dt.date | None = None,
    second_request_at: dt.datetime | None = None,
    received_on: dt.date | None = None,
    governing_state: str = "",
    statute_condition_met: bool = False,
    owner: User | None = None,
) -> LossRunRequest:
    """`owner` defaults to the creating user (an active member of the agency)."""
    _check_parties(agency=agency, insured=insured, carrier=carrier)
    if owner is not None and owner_errors(agency=agency, owner=owner):
        raise ValidationError(owner_errors(agency=agency, owner=owner))
    _validate(
        agency=agency,
        policies=policies,
        first_request_on=first_request_on,
        second_request_at=second_request_at,
        received_on=received_on,
    )
    req = LossRunRequest(
        agency=agency,
        insured=insured,
        carrier=carrier,
        created_by=user,
        owner=owner or user,
        years_requested=_years(years_requested, policies),
        recipient_name=recipient_name.strip(),
        recipient_email=recipient_email.strip(),
        notes=notes,
        first_request_on=first_request_on,
        second_request_at=second_request_at,
        received_on=received_on,
        governing_state=governing_state_default(chosen=governing_state, insured=insured),
        statute_condition_met=statute_condition_met,
    )
    req.full_clean(exclude=["agency", "insured", "carrier", "created_by", "owner"])
    req._history_user = user  # type: ignore[attr-defined]  # simple_history's hook
    req.save()
    _sync_policies(req, policies)
    schedule_refresh(req)
    request_derived_refresh(req)
    return req


@dataclass(frozen=True)
class RequestDraft:
    """One request of a bulk creation. `insured` None: a new insured named `insured_name`."""

    insured: Insured | None
    insured_name: str
    carrier: Carrier
    policies: list[PolicyData]
    years_requested: int | None = None  # None: the years the policies' terms cover


class DraftsInvalid(ValidationError):
    """Some drafts break a rule; nothing was written. `by_draft` maps draft index to messages."""

    def __init__(self, by_draft: dict[int, list[str]]) -> None:
        super().__init__([m for messages in by_draft.values() for m in messages])
        self.by_draft = by_draft


BULK_BATCH = 500


@transaction.atomic
def requests_create_many(
    *,
    agency: Agency,
    user: User | None,
    drafts: list[RequestDraft],
    recipient_name: str = "",
    recipient_email: str = "",
) -> list[LossRunRequest]:
    """Create many requests (and their new insureds) in a bounded number of queries.

    The same rules as request_create, checked for every draft before anything is written;
    then insureds, requests (with their history rows) and policies are inserted in batches
    and the schedules computed in memory: no query per request.
    """
    errors: dict[int, list[str]] = {}
    for index, draft in enumerate(drafts):
        try:
            _check_parties(
                agency=agency,
                insured=draft.insured or Insured(agency=agency),
                carrier=draft.carrier,
            )
        except ValidationError as exc:
            errors.setdefault(index, []).extend(exc.messages)
        for messages in policies_errors(draft.policies).values():
            errors.setdefault(index, []).extend(messages)
    new_insureds: dict[str, Insured] = {}
    for draft in drafts:
        if draft.insured is None and draft.insured_name.lower() not in new_insureds:
            new_insureds[draft.insured_name.lower()] = Insured(
                agency=agency, legal_name=_strip(draft.insured_name)
            )
    for index, draft in enumerate(drafts):
        insured = new_insureds.get(draft.insured_name.lower()) if draft.insured is None else None
        try:
            if insured is not None:
                insured.clean_fields(exclude=["agency"])
        except ValidationError as exc:
            errors.setdefault(index, []).extend(exc.messages)
    if errors:
        raise DraftsInvalid(errors)
    Insured.objects.bulk_create(new_insureds.values(), batch_size=BULK_BATCH)
    requests = []
    for draft in drafts:
        req = LossRunRequest(
            agency=agency,
            insured=draft.insured or new_insureds[draft.insured_name.lower()],
            carrier=draft.carrier,
            created_by=user,
            owner=user,
            years_requested=_years(draft.years_requested, draft.policies),
            recipient_name=recipient_name.strip(),
            recipient_email=recipient_email.strip(),
        )
        req.clean_fields(exclude=["agency", "insured", "carrier", "created_by", "owner"])
        requests.append(req)
    schedule_new(requests, agency=agency)
    requests = bulk_create_with_history(
        requests, LossRunRequest, batch_size=BULK_BATCH, default_user=user
    )
    Policy.objects.bulk_create(
        [
            Policy(
                agency=agency,
                request=req,
                policy_number=data.policy_number.strip(),
                line_of_business=data.line_of_business or Policy.Line.GL,
                term_start=data.term_start,
                term_end=data.term_end,
            )
            for req, draft in zip(requests, drafts, strict=True)
            for data in draft.policies
        ],
        batch_size=BULK_BATCH,
    )
    return requests


@transaction.atomic
def request_update(
    *,
    agency: Agency,
    request: LossRunRequest,
    user: User | None,
    insured: Insured,
    carrier: Carrier,
    policies: list[PolicyData],
    years_requested: int | None,
    recipient_name: str,
    recipient_email: str,
    notes: str,
    first_request_on: dt.date | None,
    second_request_at: dt.datetime | None,
    received_on: dt.date | None,
    governing_state: str = "",
    statute_condition_met: bool = False,
    owner: User | None = None,
) -> LossRunRequest:
    """`owner` None keeps the request's owner; another one must be an active member."""
    if request.agency_id != agency.pk:
        raise ValidationError("This request belongs to another agency.")
    _check_parties(agency=agency, insured=insured, carrier=carrier)
    if owner is not None:
        errors = owner_errors(agency=agency, owner=owner)
        if errors:
            raise ValidationError(errors)
        request.owner = owner
    _validate(
        agency=agency,
        policies=policies,
        first_request_on=first_request_on,
        second_request_at=second_request_at,
        received_on=received_on,
        created_at=request.created_at,
    )
    request.insured = insured
    request.carrier = carrier
    request.years_requested = _years(years_requested, policies)
    request.recipient_name = recipient_name.strip()
    request.recipient_email = recipient_email.strip()
    request.notes = notes
    request.first_request_on = first_request_on
    request.second_request_at = second_request_at
    request.received_on = received_on
    request.governing_state = governing_state_default(chosen=governing_state, insured=insured)
    request.statute_condition_met = statute_condition_met
    request.full_clean(exclude=["agency", "insured", "carrier", "created_by", "owner"])
    request._history_user = user  # type: ignore[attr-defined]  # simple_history's hook
    request.save()
    _sync_policies(request, policies)
    schedule_refresh(request)
    request_derived_refresh(request)
    return request


@transaction.atomic
def request_record_received(
    *, request: LossRunRequest, received_on: dt.date, actor: User | None = None, reason: str = ""
) -> LossRunRequest:
    """Record that the loss runs arrived (e.g. the help desk obtained them).

    Sets the received date only when it is still empty (an earlier date the agency entered
    wins), keeps the change in the request's history and stops every further notice.
    """
    req = scoped(
        LossRunRequest.objects.select_for_update().select_related("agency"), request.agency
    ).get(pk=request.pk)
    if req.received_on is not None:
        return req
    errors = tracking_dates_errors(
        agency=req.agency,
        first_request_on=req.first_request_on,
        second_request_at=None,
        received_on=received_on,
        created_at=req.created_at,
    )
    if errors:
        raise ValidationError(errors)
    req.received_on = received_on
    req._history_user = actor
    if reason:
        req._change_reason = history_reason(reason)
    req.save(update_fields=["received_on", "updated_at"])
    schedule_refresh(req)
    request_derived_refresh(req)
    request.received_on = req.received_on
    for name in (
        "second_request_due_at",
        "helpdesk_due_at",
        "next_due_at",
        "turnaround_business_days",
    ):
        setattr(request, name, getattr(req, name))
    return req
