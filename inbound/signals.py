"""anymail's inbound signal: every provider's webhook ends here, and only calls the service."""

from __future__ import annotations

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.signals import AnymailInboundEvent, inbound
from django.conf import settings
from django.dispatch import receiver

from inbound.services import inbound_receive


@receiver(inbound, dispatch_uid="inbound.carrier_reply")
def carrier_reply_received(sender, event: AnymailInboundEvent, esp_name: str, **kwargs) -> None:
    # anymail skips its basic-auth check when no secret is configured: refuse instead
    # (400, nothing stored) rather than take mail from anyone on the web.
    if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        raise AnymailWebhookValidationFailure(
            "Inbound webhooks are closed: ANYMAIL_WEBHOOK_SECRET is not set."
        )
    # Mailgun's signature is checked with MAILGUN_API_KEY when no signing key is set (an
    # empty key signs for anyone): without its own key, Mailgun's webhook is closed too.
    if esp_name == "Mailgun" and not settings.ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        raise AnymailWebhookValidationFailure(
            "Mailgun's inbound webhook is closed: MAILGUN_WEBHOOK_SIGNING_KEY is not set."
        )
    inbound_receive(message=event.message, esp=esp_name.lower())
