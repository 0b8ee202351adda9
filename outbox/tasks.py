"""TEMP outbox stand-in: replaced by the outbox branch at merge."""

from celery import shared_task
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from outbox.models import Email


@shared_task
def email_deliver(email_id: int) -> None:
    email = Email.objects.get(pk=email_id)
    if email.status != Email.Status.PENDING:
        return
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
        headers={**email.headers, "Message-ID": email.message_id},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for a in email.attachments:
        with default_storage.open(a["storage_name"], "rb") as fh:
            message.attach(a["filename"], fh.read(), a["content_type"])
    message.send()
    Email.objects.filter(pk=email.pk).update(status=Email.Status.SENT, sent_at=timezone.now())
