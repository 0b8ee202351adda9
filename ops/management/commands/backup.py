from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup
from ops.database import DatabaseError


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database and every document (with a SHA-256 "
        "manifest) into DIR, a new or empty folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR")

    def handle(self, *args, directory: Path, **options):
        try:
            report = backup(directory)
        except (BackupError, DatabaseError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {report.tables} tables ({report.rows} rows) and {report.documents} "
            f"documents ({report.bytes} bytes) into {directory}."
        )
        if report.problems:
            raise CommandError(
                "The backup is written but incomplete:\n  " + "\n  ".join(report.problems)
            )
