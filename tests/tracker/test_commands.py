import datetime as dt
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from tracker.models import Notification

NY = ZoneInfo("America/New_York")


def at(*args):
    return dt.datetime(*args, tzinfo=NY)


def run(*args):
    out = StringIO()
    call_command("tracker_sweep", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def req(make_request):
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        return make_request(created_at=at(2026, 3, 2, 10, 0))


def test_dry_run_lists_what_would_be_sent_and_writes_nothing(req):
    with time_machine.travel(at(2026, 3, 20, 12, 0), tick=False):
        out = run("--now", "2026-03-09T13:00:00Z", "--dry-run")
    assert f"would send: request {req.pk} Reminder: enter the 1st request date (day 5)" in out
    assert "superseded (not sent)" in out and "(day 2)" in out
    assert not Notification.objects.exists() and mail.outbox == []


def test_replay_with_deliver_sends_in_process(req):
    with time_machine.travel(at(2026, 3, 20, 12, 0), tick=False):
        out = run("--now", "2026-03-04T08:00:00-05:00", "--deliver")
    notice = Notification.objects.get()
    assert f"e-mail {notice.email_id}: sent" in out
    assert notice.email.status == "sent" and len(mail.outbox) == 1
    with time_machine.travel(at(2026, 3, 20, 12, 1), tick=False):
        out = run("--now", "2026-03-04T08:00:00-05:00", "--deliver")
    assert "0 request(s) due" in out and len(mail.outbox) == 1


def test_without_deliver_it_enqueues(req, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(at(2026, 3, 4, 8, 0), tick=False),
        mock.patch("outbox.tasks.email_deliver.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        out = run()
    assert "Enqueued 1 notice(s)" in out
    delay.assert_called_once_with(Notification.objects.get().email_id)


def test_a_future_now_needs_dry_run(req):
    with time_machine.travel(at(2026, 3, 2, 12, 0), tick=False):
        with pytest.raises(CommandError, match="future"):
            run("--now", "2026-03-04T13:00:00Z")
        assert "would send" in run("--now", "2026-03-04T13:00:00Z", "--dry-run")
    assert not Notification.objects.exists()


@pytest.mark.parametrize("value", ["yesterday", "2026-03-04T08:00:00", "2026-13-01T00:00Z"])
def test_bad_now_is_a_clear_error(db, value):
    with pytest.raises(CommandError, match="--now"):
        run("--now", value)


def test_dry_run_and_deliver_exclude_each_other(db):
    with pytest.raises(CommandError):
        run("--dry-run", "--deliver")
