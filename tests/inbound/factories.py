import factory
from django.utils import timezone

from inbound.models import InboundMessage
from tests.factories import LossRunRequestFactory


class InboundMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InboundMessage

    request = factory.SubFactory(LossRunRequestFactory)
    agency = factory.SelfAttribute("request.agency")
    status = InboundMessage.Status.ATTACHED
    kind = InboundMessage.Kind.REPLY
    routed_by = InboundMessage.Route.TOKEN
    message_id = factory.Sequence(lambda n: f"<reply-{n}@carrier.test>")
    content_sha256 = factory.Sequence(lambda n: f"{n:064x}")
    esp = "file"
    from_address = "Loss Runs <lossruns@carrier.test>"
    subject = "Re: Loss run request"
    text = "Please find attached."
    sent_at = factory.LazyFunction(timezone.now)
    raw = factory.django.FileField(filename="reply.eml", data=b"Subject: x\r\n\r\nx\r\n")
