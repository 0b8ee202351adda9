"""Deploy check: inbound webhooks need their secrets."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def webhook_secret_set(app_configs, **kwargs) -> list[Warning]:
    if settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return []
    return [
        Warning(
            "ANYMAIL_WEBHOOK_SECRET is not set: the inbound e-mail webhooks refuse every "
            "delivery (400), so carriers' replies do not reach their requests.",
            hint="Set ANYMAIL_WEBHOOK_SECRET (user:password) and put it in the provider's "
            "webhook URL; see README, 'E-mail replies (inbound)'.",
            id="inbound.W001",
        )
    ]
