from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from outbox.delivery import email_deliver
from outbox.models import Email
from outbox.rendering import header_clean, render_email
from outbox.selectors import emails_about
from outbox.services import email_build, email_cancel, email_queue, emails_retry_now
from tests.factories import AgencyFactory, LossRunRequestFactory

S = Email.Status


def queue(**kwargs):
    fields = {
        "kind": "test.note",
        "to": ["a@example.test"],
        "subject": "Hello",
        "template": "accounts/invitation",
        "context": {"accept_url": "http://x/"},
    }
    return email_queue(**(fields | kwargs))


def test_queue_creates_a_pending_row_and_sends_nothing(db, django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    with (
        mock.patch("outbox.tasks.email_deliver.delay") as delay,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        email = queue(agency=agency, cc=["c@example.test"], reply_to=["r@example.test"])
        assert delay.call_count == 0
    assert email.status == S.PENDING and email.agency == agency and email.attempts == 0
    assert email.to == ["a@example.test"] and email.cc == ["c@example.test"]
    assert "http://x/" in email.text_body and "http://x/" in email.html_body
    assert mail.outbox == []
    assert len(callbacks) == 1  # delivery is enqueued only when the caller commits
    with mock.patch("outbox.tasks.email_deliver.delay") as delay:
        callbacks[0]()
    delay.assert_called_once_with(email.pk)


def test_a_rolled_back_caller_leaves_no_row_and_enqueues_nothing(
    db, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue()
        raise RuntimeError
    assert callbacks == [] and not Email.objects.exists()


def test_message_ids_are_stable_and_unique(db):
    first, second = queue(), queue()
    assert first.message_id != second.message_id
    assert first.message_id.startswith("<") and first.message_id.endswith("@testserver>")
    email_deliver(email_id=first.pk)
    assert mail.outbox[0].extra_headers["Message-ID"] == first.message_id


def test_a_newline_in_subject_or_header_never_breaks_the_message(db):
    email = queue(
        subject="Ticket 3: Acme\r\nBcc: victim@example.test",
        headers={"X-Insured": "Line one\nLine two"},
    )
    assert email.subject == "Ticket 3: Acme Bcc: victim@example.test"
    assert email.headers == {"X-Insured": "Line one Line two"}
    assert email_deliver(email_id=email.pk) == "sent"
    message = mail.outbox[0].message()
    assert message["Subject"] == "Ticket 3: Acme Bcc: victim@example.test"
    assert message["Bcc"] is None


def test_header_clean_keeps_one_line():
    assert header_clean("  a \n\n b\r c ") == "a b c"
    assert header_clean("plain") == "plain"


def test_render_email_without_an_html_template_is_text_only(tmp_path, settings):
    (tmp_path / "emails" / "t").mkdir(parents=True)
    (tmp_path / "emails" / "t" / "plain.txt").write_text("Hi {{ name }} at {{ site_url }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    assert render_email("t/plain", {"name": "Ann"}) == ("Hi Ann at http://testserver", "")


def test_a_row_needs_a_recipient(db):
    with pytest.raises(ValueError, match="recipient"):
        queue(to=["", "  "])


def test_emails_about_an_object_newest_first(db):
    req = LossRunRequestFactory()
    other = LossRunRequestFactory(agency=req.agency)
    first, second = queue(about=req), queue(about=req)
    queue(about=other)
    queue()
    assert list(emails_about(obj=req)) == [second, first]
    assert first.about == req


def test_cancel_only_what_is_not_sent(db):
    pending, sent = queue(), queue()
    email_deliver(email_id=sent.pk)
    email_cancel(email=pending)
    email_cancel(email=sent)
    assert pending.status == S.CANCELLED and pending.next_attempt_at is None
    assert sent.status == S.SENT
    assert email_deliver(email_id=pending.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_retry_now_enqueues_only_unsent_rows(db, django_capture_on_commit_callbacks):
    failed, sent, cancelled = queue(), queue(), queue()
    Email.objects.filter(pk=failed.pk).update(status=S.FAILED, last_error="boom")
    email_deliver(email_id=sent.pk)
    email_cancel(email=cancelled)
    with (
        mock.patch("outbox.tasks.email_deliver.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        ids = emails_retry_now(email_ids=[failed.pk, sent.pk, cancelled.pk])
    assert ids == [failed.pk]
    delay.assert_called_once_with(failed.pk)


def test_email_queue_takes_exactly_email_builds_keyword_arguments(db):
    """One signature for both (email_queue is email_build's row, saved): a misspelt or
    positional argument is refused, and the queued row is what email_build makes."""
    fields = {
        "kind": "test.note",
        "to": ["a@example.test"],
        "subject": "Hello",
        "template": "accounts/invitation",
        "context": {"agency": None, "invitation": None, "accept_url": "http://x/"},
    }
    with pytest.raises(TypeError, match="cc_list"):
        email_queue(**fields, cc_list=["b@example.test"])
    with pytest.raises(TypeError):
        email_queue("test.note", **{k: v for k, v in fields.items() if k != "kind"})
    built = email_build(**fields, cc=["b@example.test"])
    queued = email_queue(**fields, cc=["b@example.test"])
    assert queued.pk is not None and email_queue.__name__ == "email_queue"
    assert (queued.kind, queued.to, queued.cc, queued.subject, queued.text_body) == (
        built.kind,
        built.to,
        built.cc,
        built.subject,
        built.text_body,
    )
