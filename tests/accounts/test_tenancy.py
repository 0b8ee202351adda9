"""accounts.tenancy: the one way to reach tenant rows, and what it turns into a 404."""

import pytest
from django.core.exceptions import FieldError
from django.http import Http404

from accounts.tenancy import get_for_agency, scoped
from tests.factories import InsuredFactory, LossRunRequestFactory
from vault.models import Insured, LossRunRequest

pytestmark = pytest.mark.django_db


def test_own_row_is_found(agency):
    insured = InsuredFactory(agency=agency)
    assert get_for_agency(Insured, agency=agency, pk=insured.pk) == insured
    assert get_for_agency(Insured, agency=agency, pk=str(insured.pk)) == insured


def test_missing_and_other_agencys_rows_are_both_404(agency, other_agency):
    theirs = InsuredFactory(agency=other_agency)
    with pytest.raises(Http404):
        get_for_agency(Insured, agency=agency, pk=theirs.pk)
    with pytest.raises(Http404):
        get_for_agency(Insured, agency=agency, pk=theirs.pk + 1000)


@pytest.mark.parametrize("bad", ["abc", "1.5x", "", "١٢"])
def test_an_id_that_does_not_parse_is_a_404(agency, bad):
    with pytest.raises(Http404):
        get_for_agency(Insured, agency=agency, pk=bad)


def test_a_foreign_key_id_that_does_not_parse_is_a_404(agency):
    with pytest.raises(Http404):
        get_for_agency(LossRunRequest, agency=agency, insured_id="nope")


def test_programming_errors_are_not_hidden_as_404(agency):
    with pytest.raises(ValueError, match="saved agency"):
        get_for_agency(Insured, agency=None, pk=1)
    with pytest.raises(FieldError):
        get_for_agency(Insured, agency=agency, no_such_field=1)
    with pytest.raises(TypeError):
        get_for_agency(Insured, agency=agency, pk__in=5)


def test_scoped_keeps_to_the_agency(agency, other_agency):
    mine = LossRunRequestFactory(agency=agency)
    LossRunRequestFactory(agency=other_agency)
    assert list(scoped(LossRunRequest, agency)) == [mine]
