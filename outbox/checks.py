"""System check: a live worker's claim must never look abandoned."""

from django.conf import settings
from django.core.checks import Error, register

from outbox.delivery import CLAIM_TIMEOUT


@register()
def claim_outlasts_smtp(app_configs, **kwargs) -> list[Error]:
    """Connecting and sending may each take EMAIL_TIMEOUT: the claim must outlast both."""
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or 0
    if CLAIM_TIMEOUT.total_seconds() > 2 * timeout:
        return []
    return [
        Error(
            f"EMAIL_TIMEOUT={timeout}s is too long for the outbox's claim timeout "
            f"({CLAIM_TIMEOUT.total_seconds():.0f}s): a worker still sending could be taken over.",
            hint="Keep EMAIL_TIMEOUT below half of outbox.delivery.CLAIM_TIMEOUT.",
            id="outbox.E001",
        )
    ]
