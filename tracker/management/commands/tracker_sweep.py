"""Run the tracker's sweep once: the same code the beat task runs every minute.

    python manage.py tracker_sweep                      # sweep now, enqueue deliveries
    python manage.py tracker_sweep --dry-run            # show what would be sent now
    python manage.py tracker_sweep --now 2026-03-10T08:05-05:00 --dry-run
    python manage.py tracker_sweep --now 2026-03-10T13:05Z --deliver

`--now` replays a moment that has passed (a future moment only with --dry-run, so no
notice goes out early). The notices' e-mails are queued in the outbox, whose delivery is
enqueued to the Celery workers on commit; with --deliver they are also sent at once in
this process (an operator replaying a day sees each result). Exactly-once holds either
way: delivery claims each outbox row first.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from outbox.delivery import DeliveryError, email_deliver
from tracker import services
from tracker.models import MilestoneKind


def parse_now(value: str) -> dt.datetime:
    try:
        parsed = parse_datetime(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise CommandError(
            f"--now {value!r} is not an ISO 8601 date-time (e.g. 2026-03-10T08:05-05:00)."
        )
    if timezone.is_naive(parsed):
        raise CommandError(
            "--now needs a UTC offset (e.g. 2026-03-10T13:05Z or 2026-03-10T08:05-05:00)."
        )
    return parsed


class Command(BaseCommand):
    help = "Create and send (or with --dry-run, list) the tracker notices due at a moment."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="ISO 8601 date-time with offset; default: the current time."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Write and send nothing; list what is due."
        )
        parser.add_argument(
            "--deliver", action="store_true", help="Send in this process instead of enqueueing."
        )

    def handle(self, *args, now=None, dry_run=False, deliver=False, **options):
        real_now = timezone.now()
        at = parse_now(now) if now else real_now
        if at > real_now and not dry_run:
            raise CommandError(
                "--now is in the future: use --dry-run to preview, nothing is sent early."
            )
        if dry_run and deliver:
            raise CommandError("--dry-run and --deliver exclude each other.")
        result = services.sweep(now=at, dry_run=dry_run)
        verb = "would send" if dry_run else "due"
        labels = dict(MilestoneKind.choices)
        self.stdout.write(f"Sweep at {at.isoformat()}: {result.requests_read} request(s) due.")
        for n in result.created:
            self.stdout.write(
                f"  {verb}: request {n.request_id} {labels.get(n.milestone, n.milestone)} (due {n.due_at.isoformat()})"
            )
        for n in result.superseded:
            self.stdout.write(
                f"  superseded (not sent): request {n.request_id} {labels.get(n.milestone, n.milestone)}"
            )
        if result.requeued:
            word = "would queue" if dry_run else "queued"
            self.stdout.write(
                f"  {word} {len(result.requeued)} notice(s) waiting again: {', '.join(map(str, result.requeued))}"
            )
        for request_id, error in result.errors:
            self.stderr.write(f"  error on request {request_id}: {error}")
        if dry_run:
            return
        self.stdout.write(f"Enqueued {len(result.enqueued)} notice(s) for delivery.")
        if not deliver:
            return
        for pk in services.notice_email_ids(result.enqueued):
            try:
                outcome = email_deliver(email_id=pk)
            except DeliveryError as exc:
                outcome = f"failed ({exc}); will be retried"
            self.stdout.write(f"  e-mail {pk}: {outcome}")
