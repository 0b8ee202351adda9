"""Factories that keep related rows inside one agency.

Pass `agency=` to the outermost factory and every related row (insured, policies,
documents, private carriers) lands in the same agency.
"""

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import Agency, User
from vault.models import Carrier, Document, Insured, LossRunRequest, Policy


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    state = "NY"
    email = factory.Sequence(lambda n: f"office{n}@agency.test")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@agency.test")
    full_name = factory.Faker("name")
    agency = factory.SubFactory(AgencyFactory)
    role = User.Role.MEMBER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OwnerFactory(UserFactory):
    role = User.Role.OWNER


class StaffFactory(UserFactory):
    agency = None
    is_staff = True
    is_superuser = True


class CarrierFactory(factory.django.DjangoModelFactory):
    """A platform-wide carrier (agency=None) unless an agency is given."""

    class Meta:
        model = Carrier

    agency = None
    legal_name = factory.Sequence(lambda n: f"Carrier Mutual {n}")
    naic_code = factory.Sequence(lambda n: f"{10000 + n}")
    loss_run_email = factory.Sequence(lambda n: f"lossruns{n}@carrier.test")


class InsuredFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insured

    agency = factory.SubFactory(AgencyFactory)
    legal_name = factory.Sequence(lambda n: f"Insured Holdings {n} LLC")
    state = "NY"
    signer_name = factory.Faker("name")
    signer_title = "President"


class LossRunRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LossRunRequest
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    insured = factory.SubFactory(InsuredFactory, agency=factory.SelfAttribute("..agency"))
    carrier = factory.SubFactory(CarrierFactory)
    created_by = factory.SubFactory(UserFactory, agency=factory.SelfAttribute("..agency"))
    owner = factory.SelfAttribute("created_by")  # as vault.services sets it
    created_at = factory.LazyFunction(timezone.now)
    years_requested = 5
    governing_state = factory.SelfAttribute("insured.state")  # as vault.services sets it

    @factory.post_generation
    def policies(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            PolicyFactory(request=obj)
        else:
            for number in extracted:
                PolicyFactory(request=obj, policy_number=number)


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Policy

    request = factory.SubFactory(LossRunRequestFactory)
    agency = factory.SelfAttribute("request.agency")
    policy_number = factory.Sequence(lambda n: f"GL-{100000 + n}")
    line_of_business = Policy.Line.GL
    term_start = dt.date(2025, 1, 1)
    term_end = dt.date(2026, 1, 1)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    request = factory.SubFactory(LossRunRequestFactory)
    agency = factory.SelfAttribute("request.agency")
    insured = factory.SelfAttribute("request.insured")
    kind = Document.Kind.AUTH_SIGNED
    file = factory.django.FileField(filename="signed.pdf", data=b"%PDF-1.4\n%test\n")
    original_name = "signed.pdf"
    content_type = "application/pdf"
    size = 15
    sha256 = "0" * 64
