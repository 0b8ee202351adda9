"""The insured's authorization stage of a request (draft, awaiting, declined, signed).

One write for every path that changes it: the e-signature flow (esign), a signed letter
uploaded by hand (vault.documents) and the demo. Each change is a row in the request's
history with the reason, so the request's timeline shows who moved it and why.
"""

from __future__ import annotations

from django.db import transaction

from vault.models import Authorization, LossRunRequest

HISTORY_REASON_MAX = 100  # simple-history's history_change_reason column


def history_reason(text: str) -> str:
    """A reason that fits the history column (cut with an ellipsis, never an error)."""
    text = " ".join(text.split())
    return text if len(text) <= HISTORY_REASON_MAX else text[: HISTORY_REASON_MAX - 1] + "…"


@transaction.atomic
def request_authorization_set(
    *, request: LossRunRequest, authorization: str, actor=None, reason: str
) -> LossRunRequest:
    """Set the stage and record why. A signed authorization stays signed: a later
    signature request or a decline of an old link never un-signs the request."""
    if authorization not in Authorization.values:
        raise ValueError(f"Unknown authorization stage {authorization!r}")
    req = LossRunRequest.objects.select_for_update().get(pk=request.pk)
    if req.authorization == Authorization.SIGNED and authorization != Authorization.SIGNED:
        return req
    req.authorization = authorization
    req._history_user = actor
    req._change_reason = history_reason(reason)
    req.save(update_fields=["authorization", "updated_at"])
    request.authorization = req.authorization
    return req
