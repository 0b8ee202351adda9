"""Writes of the outbox: queue, cancel and retry e-mails. Nothing here talks to a mail server.

Delivery itself (claim, send, backoff, stale-claim takeover, re-enqueue) is in
`outbox.delivery`; it runs in a worker, never in a web request or an open transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ParamSpec
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from outbox.delivery import ENQUEUE_GRACE, LIVE, enqueue_on_commit
from outbox.models import Email
from outbox.rendering import header_clean, render_email
from outbox.types import Attachment

P = ParamSpec("P")


def new_message_id() -> str:
    """Assigned once at creation: a retried message keeps it, so receivers can de-duplicate."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{uuid.uuid4().hex}@{host}>"


def _addresses(values: Sequence[str]) -> list[str]:
    return [header_clean(v) for v in values if v and v.strip()]


def email_build(
    *,
    kind: str,
    to: Sequence[str],
    subject: str,
    template: str,
    context: Mapping[str, Any],
    agency: models.Model | None = None,
    cc: Sequence[str] = (),
    reply_to: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
    about: models.Model | None = None,
    headers: Mapping[str, str] | None = None,
    from_email: str | None = None,
) -> Email:
    """The row `email_queue` creates, rendered but not saved (`emails_queue` saves many).

    The bodies are rendered now: what the row says is what is sent, whenever that is.
    """
    recipients = _addresses(to)
    if not recipients:
        raise ValueError("An e-mail needs at least one recipient.")
    text, html = render_email(template, context)
    now = timezone.now()
    return Email(
        agency=agency,
        kind=kind,
        from_email=header_clean(from_email) if from_email else "",
        to=recipients,
        cc=_addresses(cc),
        reply_to=_addresses(reply_to),
        subject=header_clean(subject)[:998],
        text_body=text,
        html_body=html,
        attachments=[a.as_json() for a in attachments],
        headers={header_clean(k): header_clean(v) for k, v in (headers or {}).items()},
        message_id=new_message_id(),
        created_at=now,
        next_attempt_at=now + ENQUEUE_GRACE,
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=str(about.pk) if about is not None else "",
    )


@transaction.atomic(savepoint=False)  # INSERTs only: no savepoint round trips
def emails_queue(emails: Sequence[Email]) -> list[Email]:
    """Save rows made by `email_build` with one INSERT per 500 and enqueue them on commit
    (a sweep queueing hundreds of notices at once). Returns them with their ids."""
    saved = Email.objects.bulk_create(list(emails), batch_size=500)
    enqueue_on_commit([e.pk for e in saved])
    return saved


def _saved_on_commit(build: Callable[P, Email]) -> Callable[P, Email]:
    """The one-row queueing function of `build`: exactly `build`'s keyword arguments (one
    signature, checked by Python at the call and by mypy through the ParamSpec)."""

    def email_queue(*args: P.args, **kwargs: P.kwargs) -> Email:
        """Create one e-mail row in the caller's transaction; its delivery is enqueued on
        commit. Takes `email_build`'s keyword arguments.

        Never talks to a mail server. Subject and header values are kept on one line.
        `agency` is an accounts.Agency (typed as a model: the outbox imports no app above it).
        """
        return emails_queue([build(*args, **kwargs)])[0]

    return email_queue


email_queue = _saved_on_commit(email_build)


@transaction.atomic
def email_cancel(*, email: Email) -> None:
    """Cancel a pending or failed e-mail; one being sent, sent or cancelled stays as it is.

    `email.status` says afterwards whether it was cancelled.
    """
    Email.objects.filter(pk=email.pk, status__in=LIVE).update(
        status=Email.Status.CANCELLED, next_attempt_at=None, claim_token=None
    )
    email.refresh_from_db(fields=["status", "next_attempt_at", "claim_token"])


@transaction.atomic
def emails_retry_now(*, email_ids: Sequence[int]) -> list[int]:
    """Staff's "retry now": pending or failed e-mails are enqueued at once (sent ones never)."""
    now = timezone.now()
    ids = list(
        Email.objects.filter(pk__in=list(email_ids), status__in=LIVE).values_list("id", flat=True)
    )
    Email.objects.filter(pk__in=ids).update(next_attempt_at=now + ENQUEUE_GRACE)
    enqueue_on_commit(ids)
    return ids
