from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore
from ops.database import DatabaseError


class Command(BaseCommand):
    help = (
        "Restore the backup in DIR into the configured database and document storage, then "
        "verify every table's row count and every document's SHA-256. Refuses a database or "
        "storage that already holds data unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite a database and storage that already hold data",
        )

    def handle(self, *args, directory: Path, force: bool, **options):
        try:
            report = restore(directory, force=force)
        except (BackupError, DatabaseError) as exc:
            raise CommandError(str(exc)) from exc
        if report.problems:
            raise CommandError(
                "Restored, but it does not match the backup:\n  " + "\n  ".join(report.problems)
            )
        self.stdout.write(
            f"Restored and verified {report.tables} tables ({report.rows} rows) and "
            f"{report.documents} documents ({report.bytes} bytes) from {directory}."
        )
