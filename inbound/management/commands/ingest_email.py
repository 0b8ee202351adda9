"""Feed one raw RFC 822 message through the inbound service, as a webhook would."""

from pathlib import Path

from anymail.inbound import AnymailInboundMessage
from django.core.management.base import BaseCommand, CommandError

from inbound.services import inbound_receive


class Command(BaseCommand):
    help = (
        "Receive one e-mail from an .eml file (raw RFC 822) as if it came through the "
        "inbound webhook: route it to its request and act on it; print what happened."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .eml file ('-' reads standard input)")

    def handle(self, *args, **options):
        name = options["file"]
        try:
            raw = self.stdin_bytes() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc.strerror}.") from exc
        if not raw.strip():
            raise CommandError(f"{name} is empty.")
        message = AnymailInboundMessage.parse_raw_mime_bytes(raw)
        if not message.keys():
            raise CommandError(f"{name} has no e-mail headers: is it a raw .eml file?")
        received = inbound_receive(message=message, esp="file")
        for line in received.report():
            self.stdout.write(line)

    def stdin_bytes(self) -> bytes:
        import sys

        return sys.stdin.buffer.read()
