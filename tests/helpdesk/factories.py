"""Help-desk factories: a ticket keeps its request, documents and proofs in one agency."""

import factory
from django.utils import timezone

from helpdesk.models import CommonMistake, ProofCoverage, Ticket
from helpdesk.services import first_response_due
from tests.factories import DocumentFactory, LossRunRequestFactory, UserFactory
from vault.models import Document, LossRunRequest

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CommonMistakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommonMistake

    title = factory.Sequence(lambda n: f"Mistake {n}")
    explanation = "The carrier could not match the request."
    what_to_do = "Check it against the declarations page."
    ordering = factory.Sequence(lambda n: n)


class TicketFactory(factory.django.DjangoModelFactory):
    """An open ticket on a request past its second request, with a proof for each policy."""

    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    request = factory.SubFactory(LossRunRequestFactory)
    agency = factory.SelfAttribute("request.agency")
    submitted_by = factory.SubFactory(UserFactory, agency=factory.SelfAttribute("..agency"))
    submitted_at = factory.LazyFunction(timezone.now)
    updated_at = factory.SelfAttribute("submitted_at")
    first_response_due_at = factory.LazyAttribute(
        lambda o: first_response_due(agency=o.agency, submitted_at=o.submitted_at)
    )
    confirmed_common_mistakes_at = factory.SelfAttribute("submitted_at")
    signed_first_request = factory.SubFactory(
        DocumentFactory, request=factory.SelfAttribute("..request"), kind=Document.Kind.AUTH_SIGNED
    )

    @factory.post_generation
    def went_to_helpdesk(obj, create, extracted, **kwargs):
        """What ticket_submit does to the request: it counts as gone to the Help Desk."""
        if create:
            LossRunRequest.objects.filter(pk=obj.request_id).update(went_to_helpdesk=True)

    @factory.post_generation
    def proofs(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        doc = DocumentFactory(
            request=obj.request,
            kind=Document.Kind.PROOF_DEC_PAGE,
            original_name="dec-page.pdf",
        )
        for number in obj.request.policies.values_list("policy_number", flat=True):
            ProofCoverage.objects.create(
                agency=obj.agency, ticket=obj, document=doc, policy_number=number
            )
