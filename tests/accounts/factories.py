"""Factories for accounts' own rows (agencies and users live in tests/factories.py)."""

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import AgencyClosedDay, Invitation
from tests.factories import AgencyFactory, OwnerFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    agency = factory.SubFactory(AgencyFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@colleague.test")
    invited_by = factory.SubFactory(OwnerFactory, agency=factory.SelfAttribute("..agency"))
    created_at = factory.LazyFunction(timezone.now)


class AgencyClosedDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyClosedDay

    agency = factory.SubFactory(AgencyFactory)
    date = factory.Sequence(lambda n: dt.date(2026, 12, 1) + dt.timedelta(days=n))
    reason = "Office closed"
