"""Each help-desk rule both ways; the form, the service and the admin form call these."""

import datetime as dt

import pytest

from helpdesk import rules
from helpdesk.models import Ticket
from vault.models import Document

Status = Ticket.Status


def doc(kind: str, name: str = "file.pdf") -> Document:
    return Document(kind=kind, original_name=name)


def test_signed_first_request_is_required_unless_being_uploaded():
    assert rules.signed_first_request_errors(document=None) == {
        "signed_first_request": [rules.MISSING_SIGNED]
    }
    assert rules.signed_first_request_errors(document=None, uploading=True) == {}
    assert rules.signed_first_request_errors(document=doc(Document.Kind.AUTH_SIGNED)) == {}
    assert rules.signed_first_request_errors(document=doc(Document.Kind.OTHER)) == {
        "signed_first_request": [rules.NOT_SIGNED]
    }


def test_a_proof_of_carrier_is_one_of_the_proof_kinds():
    for kind in Document.PROOF_OF_CARRIER_KINDS:
        assert rules.proof_document_errors(doc(kind)) == {}
    assert rules.proof_document_errors(doc(Document.Kind.AUTH_SIGNED, "auth.pdf")) == {
        "proofs": ["auth.pdf is not a proof of carrier."]
    }


def test_every_policy_number_needs_a_proof_of_carrier():
    numbers = ["GL-1", "AU-2"]
    assert rules.proof_coverage_errors(policy_numbers=numbers, covered=[], has_proof=False) == {
        "proofs": [rules.MISSING_PROOF]
    }
    assert (
        rules.proof_coverage_errors(policy_numbers=numbers, covered=numbers, has_proof=True) == {}
    )
    assert rules.proof_coverage_errors(
        policy_numbers=numbers, covered=["GL-1", "XX-9"], has_proof=True
    ) == {
        "proofs": [
            "Policy AU-2 is not covered by any proof of carrier.",
            "Not a policy number of this request: XX-9.",
        ]
    }


@pytest.mark.parametrize("to", [Status.IN_REVIEW, Status.ESCALATED, Status.CLOSED_CANNOT_PURSUE])
def test_staff_may_set_direct_statuses(to):
    assert rules.status_change_errors(current=Status.SUBMITTED, to=to) == {}


def test_no_change_is_never_an_error():
    assert rules.status_change_errors(current=Status.ESCALATED, to=Status.ESCALATED) == {}


def test_waiting_on_agency_only_through_return_and_only_when_open():
    assert rules.status_change_errors(current=Status.SUBMITTED, to=Status.WAITING_ON_AGENCY) == {
        "status": [rules.USE_RETURN]
    }
    assert (
        rules.status_change_errors(
            current=Status.SUBMITTED, to=Status.WAITING_ON_AGENCY, via_return=True
        )
        == {}
    )
    assert rules.status_change_errors(
        current=Status.CLOSED_CANNOT_PURSUE, to=Status.WAITING_ON_AGENCY, via_return=True
    ) == {"status": ["Only an open ticket can be returned to the agency."]}


def test_resolving_as_received_needs_the_date():
    assert rules.status_change_errors(current=Status.IN_REVIEW, to=Status.RESOLVED_RECEIVED) == {
        "received_on": [rules.MISSING_RECEIVED_ON]
    }
    assert (
        rules.status_change_errors(
            current=Status.IN_REVIEW, to=Status.RESOLVED_RECEIVED, received_on=dt.date(2026, 1, 2)
        )
        == {}
    )


def test_unknown_status_is_refused():
    assert "status" in rules.status_change_errors(current=Status.SUBMITTED, to="lost")


def test_returning_needs_a_reason():
    assert rules.return_reasons_errors([]) == {
        "reasons": ["Choose at least one Common Mistake as the reason."]
    }
    assert rules.return_reasons_errors(["a mistake"]) == {}


def test_the_common_mistakes_list_must_be_confirmed():
    assert rules.common_mistakes_errors(False) == {
        "confirm_common_mistakes": [rules.CONFIRM_MISTAKES]
    }
    assert rules.common_mistakes_errors(True) == {}
