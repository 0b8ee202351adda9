"""TEMP outbox stand-in: replaced by the outbox branch at merge (no claim, retry or backoff)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from outbox.models import Email
from outbox.rendering import render_email
from outbox.types import Attachment


def _clean(value: str) -> str:
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def email_queue(
    *,
    kind: str,
    to: Sequence[str],
    subject: str,
    template: str,
    context: Mapping[str, Any],
    agency=None,
    cc: Sequence[str] = (),
    reply_to: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
    about: models.Model | None = None,
    headers: Mapping[str, str] | None = None,
    from_email: str | None = None,
) -> Email:
    text, html = render_email(template, context)
    email = Email.objects.create(
        agency=agency,
        kind=kind,
        from_email=_clean(from_email or settings.DEFAULT_FROM_EMAIL),
        to=list(to),
        cc=list(cc),
        reply_to=list(reply_to),
        subject=_clean(subject),
        text_body=text,
        html_body=html,
        attachments=[dataclasses.asdict(a) for a in attachments],
        headers={k: _clean(v) for k, v in (headers or {}).items()},
        message_id=f"<{uuid.uuid4().hex}@outbox.local>",
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=about.pk if about is not None else None,
    )
    from outbox.tasks import email_deliver

    transaction.on_commit(lambda: email_deliver.delay(email.pk))
    return email


def email_cancel(*, email: Email) -> None:
    Email.objects.filter(pk=email.pk, status__in=["pending", "failed"]).update(status="cancelled")
