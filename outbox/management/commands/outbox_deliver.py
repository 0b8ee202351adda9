"""Deliver every e-mail not sent yet, now, in this process, and say what happened to each.

    python manage.py outbox_deliver            # pending, failed (backoff or not) and abandoned
    python manage.py outbox_deliver --limit 50
    python manage.py outbox_deliver --enqueue  # hand what is due to the workers instead

For operators, and for the embedded mode when no Celery worker runs. Exactly-once holds
alongside running workers: each row is claimed first, a row another worker is sending
right now is reported as skipped, one whose send window is closed (a tracker notice
retried outside the agency's working hours) as deferred, with its next moment. `--enqueue` runs the beat's outbox sweep once: rows
whose next attempt is due (unclaimed, failed after their backoff, abandoned claims) are
re-enqueued to the Celery workers.
"""

from django.core.management.base import BaseCommand

from outbox.delivery import DeliveryError, email_deliver, requeue
from outbox.models import Email
from outbox.selectors import emails_due


class Command(BaseCommand):
    help = "Send every pending or failed outbox e-mail now, in this process."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many e-mails.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Re-enqueue what is due to the Celery workers (the beat sweep) instead.",
        )

    def handle(self, *args, limit=None, enqueue=False, **options):
        if enqueue:
            ids = requeue(**({"limit": limit} if limit else {})).requeued
            listed = f": {', '.join(map(str, ids))}" if ids else ""
            self.stdout.write(f"Re-enqueued {len(ids)} e-mail(s){listed}")
            return
        ids = emails_due(limit=limit)
        if not ids:
            self.stdout.write("Nothing to send.")
            return
        counts = {"sent": 0, "failed": 0, "skipped": 0, "deferred": 0}
        for pk in ids:
            try:
                outcome = email_deliver(email_id=pk)
            except DeliveryError as exc:
                counts["failed"] += 1
                self.stdout.write(f"  e-mail {pk}: failed ({exc}); will be retried")
                continue
            counts[outcome] += 1
            if outcome == "skipped":
                self.stdout.write(f"  e-mail {pk}: skipped (being sent by another worker)")
            elif outcome == "deferred":
                nxt = Email.objects.only("next_attempt_at").get(pk=pk).next_attempt_at
                self.stdout.write(f"  e-mail {pk}: deferred to {nxt.isoformat()} (send window)")
            else:
                email = Email.objects.only("subject", "to").get(pk=pk)
                self.stdout.write(f"  e-mail {pk}: sent to {', '.join(email.to)}: {email.subject}")
        self.stdout.write(
            f"Sent {counts['sent']}, failed {counts['failed']}, skipped {counts['skipped']}, "
            f"deferred {counts['deferred']}."
        )
