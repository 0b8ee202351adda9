from django.conf import settings
from django.core.management.base import BaseCommand

from demo.data import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the URL and the demo sign-ins."

    def handle(self, *args, **options):
        w = self.stdout.write
        w("")
        w("=" * 64)
        w(f"  Loss Run Vault is starting on {settings.SITE_URL}/")
        w(f"  Help-desk admin:  {settings.SITE_URL}/admin/")
        w(f"  Captured e-mail:  {settings.SITE_URL}/dev/outbox/")
        w(f"  Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            w(f"    {login.email:<26} {login.role:<24} {login.agency}")
        w("  Stop everything with Ctrl-C.")
        w("=" * 64)
        w("")
