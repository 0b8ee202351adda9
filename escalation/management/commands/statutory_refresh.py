"""Recompute every sent request's statutory due date and turnaround (after a deploy that
adds the columns, or a bulk change of the rules outside the admin)."""

from django.core.management.base import BaseCommand

from vault.derived import requests_derived_refresh
from vault.models import LossRunRequest


class Command(BaseCommand):
    help = "Recompute the statutory due date and turnaround of every sent request."

    def add_arguments(self, parser):
        parser.add_argument("--state", default="", help="Only requests governed by this state.")

    def handle(self, *args, state: str, **options):
        qs = LossRunRequest.objects.filter(first_request_on__isnull=False)
        if state:
            qs = qs.filter(governing_state=state.upper())
        count = requests_derived_refresh(qs)
        self.stdout.write(f"Recomputed {count} request(s).")
