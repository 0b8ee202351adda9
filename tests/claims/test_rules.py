"""The claims rules both ways, in Python and as database constraints."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from claims import rules
from claims.models import Claim, ReportTerm
from tests.claims.factories import ClaimFactory, ReportTermFactory

D = Decimal


def test_paid_is_net_of_recoveries():
    assert rules.paid(indemnity=D("100"), medical=D("20"), expense=D("5"), recoveries=D("30")) == D(
        "95"
    )
    assert rules.paid(indemnity=D("0"), medical=D("0"), expense=D("0"), recoveries=D("0")) == 0


def test_incurred_is_paid_plus_reserves():
    assert rules.incurred(paid=D("95"), reserves=D("50")) == D("145")
    assert rules.incurred(paid=D("95"), reserves=D("0")) == D("95")


@pytest.mark.parametrize("status", ["closed", "denied"])
def test_closed_claims_carry_no_reserves(status):
    assert not rules.carries_reserves_allowed(status)


@pytest.mark.parametrize("status", ["open", "reopened", "subrogated"])
def test_open_claims_may_carry_reserves(status):
    assert rules.carries_reserves_allowed(status)


def test_no_reserve_statuses_are_claim_statuses():
    assert set(rules.NO_RESERVES_STATUSES) == {Claim.Status.CLOSED, Claim.Status.DENIED}


def test_claim_paid_property_and_database_aggregate_agree(db):
    claim = ClaimFactory(
        status="open",
        paid_indemnity=D("100.10"),
        paid_medical=D("20.20"),
        paid_expense=D("5.05"),
        recoveries=D("30.00"),
        reserves=D("10.00"),
        total_incurred=D("105.35"),
    )
    assert claim.paid == D("95.35")
    row = Claim.objects.annotate(p=rules.PAID_EXPRESSION).get(pk=claim.pk)
    assert D(str(row.p)).quantize(D("0.01")) == D("95.35")


def test_database_refuses_incurred_other_than_paid_plus_reserves(db):
    claim = ClaimFactory(status="open", reserves=D("500.00"))
    assert claim.total_incurred == D("1500.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(total_incurred=F("total_incurred") + 1)


def test_database_refuses_reserves_on_a_closed_claim(db):
    claim = ClaimFactory(status="open", reserves=D("500.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status="closed")
    Claim.objects.filter(pk=claim.pk).update(
        status="closed", reserves=0, total_incurred=D("1000.00")
    )
    assert Claim.objects.get(pk=claim.pk).status == "closed"


def test_database_refuses_a_term_that_does_not_end_after_it_starts(db):
    term = ReportTermFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportTerm.objects.filter(pk=term.pk).update(term_end=term.term_start)
    ReportTerm.objects.filter(pk=term.pk).update(term_end=term.term_start + dt.timedelta(days=1))


def test_incurred_conventions_name_every_way_a_carrier_prints_incurred():
    from claims.rules import document_convention, incurred_conventions

    amounts = {"indemnity": D("3000"), "medical": D("0"), "expense": D("200"),
               "recoveries": D("500"), "reserves": D("1500")}  # fmt: skip
    assert incurred_conventions(printed=D("4200"), **amounts) == {"net"}
    assert incurred_conventions(printed=D("4700"), **amounts) == {"gross"}
    assert incurred_conventions(printed=D("4000"), **amounts) == {"net_no_expense"}
    assert incurred_conventions(printed=D("4500"), **amounts) == {"gross_no_expense"}
    assert incurred_conventions(printed=D("3900"), **amounts) == frozenset()
    printed_paid = incurred_conventions(printed=D("4100"), paid_total=D("2600"), **amounts)
    assert printed_paid == {"printed_paid"}
    # Without recoveries or expense the conventions agree: the first listed is recorded.
    assert document_convention({"net": 5, "gross": 5, "net_no_expense": 5}) == "net"
    assert document_convention({"net": 5, "gross": 7}) == "gross"
    assert document_convention({}) == ""
