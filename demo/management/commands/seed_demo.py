from django.core.management.base import BaseCommand, CommandError

from demo.data import DemoNotAllowed, seed_demo


class Command(BaseCommand):
    help = "Load the demo agencies, users and requests (embedded/demo settings only; idempotent)."

    def handle(self, *args, **options):
        try:
            created = seed_demo()
        except DemoNotAllowed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Demo data loaded." if created else "Demo data already present.")
