"""The help desk's domain rules, in one place: the submission form, the admin form and the
services all call these (as vault.rules does for requests).

Each function returns `{field_name: [message, ...]}` (empty when valid). Field names are the
service's (`signed_first_request`, `proofs`, `status`, `received_on`, `reasons`); a form
attaches a message to the field of that name when it has one, else to the whole form.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from helpdesk.models import Ticket
from vault.models import Document

Errors = dict[str, list[str]]
Status = Ticket.Status

MISSING_SIGNED = "Choose the signed first request from the vault or upload it."
NOT_SIGNED = "That document is not a signed first request."
MISSING_PROOF = (
    "Add the most current proof of carrier (declarations page, bill or prior-year loss runs) "
    "and tick the policy numbers it covers."
)
USE_RETURN = "Use “Return to agency”: it asks for the Common Mistakes reasons."
MISSING_RECEIVED_ON = "Enter the date the loss runs were received."
CONFIRM_MISTAKES = "Confirm that you reviewed the Common Mistakes list."


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def signed_first_request_errors(*, document: Document | None, uploading: bool = False) -> Errors:
    """A submission needs the signed first request: a vault document of that kind, or one
    being uploaded as that kind right now."""
    if document is None:
        return {} if uploading else {"signed_first_request": [MISSING_SIGNED]}
    if document.kind != Document.Kind.AUTH_SIGNED:
        return {"signed_first_request": [NOT_SIGNED]}
    return {}


def proof_document_errors(document: Document) -> Errors:
    """A proof of carrier is a declarations page, a bill or prior-year loss runs."""
    if document.kind not in Document.PROOF_OF_CARRIER_KINDS:
        return {"proofs": [f"{document.original_name} is not a proof of carrier."]}
    return {}


def proof_coverage_errors(
    *, policy_numbers: Sequence[str], covered: Iterable[str], has_proof: bool
) -> Errors:
    """At least one proof of carrier, every policy number of the request covered by one, and
    no number that is not the request's."""
    if not has_proof:
        return {"proofs": [MISSING_PROOF]}
    errors: Errors = {}
    covered = set(covered)
    for number in policy_numbers:
        if number not in covered:
            _add(errors, "proofs", f"Policy {number} is not covered by any proof of carrier.")
    unknown = covered - set(policy_numbers)
    if unknown:
        _add(
            errors, "proofs", f"Not a policy number of this request: {', '.join(sorted(unknown))}."
        )
    return errors


def common_mistakes_errors(confirmed: bool) -> Errors:
    """Before submitting, the agency confirms it reviewed the Common Mistakes list."""
    if not confirmed:
        return {"confirm_common_mistakes": [CONFIRM_MISTAKES]}
    return {}


def status_change_errors(
    *, current: str, to: str, received_on: object | None = None, via_return: bool = False
) -> Errors:
    """Which status changes staff may make, and what each needs.

    Any status may follow any other, except: waiting on the agency only through "Return to
    agency" (`via_return`, with reasons) and only from an open ticket; resolved as received
    only with the received date. No change (`to == current`) is never an error.
    """
    if to == current:
        return {}
    if to not in Status.values:
        return {"status": [f"Unknown status {to!r}."]}
    if to == Status.WAITING_ON_AGENCY:
        if not via_return:
            return {"status": [USE_RETURN]}
        if current not in Ticket.OPEN_STATUSES:
            return {"status": ["Only an open ticket can be returned to the agency."]}
    if to == Status.RESOLVED_RECEIVED and received_on is None:
        return {"received_on": [MISSING_RECEIVED_ON]}
    return {}


def return_reasons_errors(reasons: Sequence[object]) -> Errors:
    """A ticket goes back to the agency with at least one Common Mistake as the reason."""
    if not reasons:
        return {"reasons": ["Choose at least one Common Mistake as the reason."]}
    return {}


def agency_hears_of(*, action: str, by_agency: bool) -> bool:
    """The agency is e-mailed about every change of its ticket except its own doing: the
    status move its own reply causes is not mailed back to it. Its submission is the one
    exception: the receipt tells it when the help desk will answer."""
    return not by_agency or action == "submitted"
