"""python manage.py import_loss_run FILE --agency SLUG --insured ID [--carrier ID] ...

Parses arguments and calls the same import service as the upload page.
"""

import datetime as dt
import mimetypes
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import scoped
from claims import services
from claims.importers import TermDefaults, UnreadableFile
from claims.models import ReportTerm
from vault.documents import document_create
from vault.models import Carrier, Document, Insured, LossRunRequest


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Import a loss-run CSV or XLSX for one insured, with the upload page's validation."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--agency", required=True, help="Agency slug.")
        parser.add_argument("--insured", required=True, type=int, help="Insured id.")
        parser.add_argument(
            "--carrier",
            type=int,
            help="Carrier id (default: the insured's only requested carrier).",
        )
        parser.add_argument("--valuation-date", help="YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--drop-bad-rows", action="store_true", help="Import the good rows only."
        )
        parser.add_argument("--policy-number", default="")
        parser.add_argument("--term-start", help="YYYY-MM-DD, for files without term columns.")
        parser.add_argument("--term-end", help="YYYY-MM-DD, for files without term columns.")
        parser.add_argument("--line", default=ReportTerm.Line.GL, choices=ReportTerm.Line.values)
        parser.add_argument("--premium", help="Subject premium of that term.")
        parser.add_argument(
            "--no-store",
            action="store_true",
            help="Do not keep the file as the insured's document.",
        )

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        agency = Agency.objects.filter(slug=opts["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with slug {opts['agency']!r}.")
        insured = scoped(Insured, agency).filter(pk=opts["insured"]).first()
        if insured is None:
            raise CommandError(f"Agency {agency.slug} has no insured {opts['insured']}.")
        carrier = self._carrier(agency, insured, opts["carrier"])
        valuation = (
            _date(opts["valuation_date"])
            if opts["valuation_date"]
            else timezone.localdate(timezone=agency.tz)
        )
        try:
            premium = Decimal(opts["premium"]) if opts["premium"] else None
        except InvalidOperation as exc:
            raise CommandError(f"{opts['premium']} is not an amount.") from exc
        if premium is not None and premium < 0:
            raise CommandError("The premium cannot be negative.")
        defaults = TermDefaults(
            policy_number=opts["policy_number"],
            term_start=_date(opts["term_start"]) if opts["term_start"] else None,
            term_end=_date(opts["term_end"]) if opts["term_end"] else None,
            line=opts["line"],
            premium=premium,
        )
        with path.open("rb") as handle:
            document = None
            if not opts["no_store"]:
                upload = UploadedFile(
                    file=handle,
                    name=path.name,
                    content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                    size=path.stat().st_size,
                )
                try:
                    document = document_create(
                        agency=agency,
                        uploaded_by=None,
                        uploaded_file=upload,
                        kind=Document.Kind.LOSS_RUN,
                        insured=insured,
                    )
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
            try:
                outcome = services.loss_run_import(
                    agency=agency,
                    user=None,
                    insured=insured,
                    carrier=carrier,
                    fileobj=handle,
                    valuation_date=valuation,
                    defaults=defaults,
                    drop_bad_rows=opts["drop_bad_rows"],
                    document=document,
                )
            except services.ImportRejected as exc:
                if document is not None:
                    document.file.delete(save=False)
                    document.delete()
                for line in exc.result.errors:
                    self.stderr.write(line)
                more = exc.result.error_count - len(exc.result.errors)
                if more > 0:
                    self.stderr.write(f"... and {more} more errors")
                raise CommandError(
                    f"{exc.result.bad_rows} of {exc.result.rows_read} rows have errors; nothing"
                    " was imported. Fix the file or pass --drop-bad-rows."
                ) from exc
            except (UnreadableFile, ValidationError) as exc:
                if document is not None:
                    document.file.delete(save=False)
                    document.delete()
                message = " ".join(getattr(exc, "messages", [str(exc)]))
                raise CommandError(message) from exc
        for line in outcome.result.errors:
            self.stderr.write(f"dropped {line}")
        self.stdout.write(
            f"Imported {outcome.imported} claims into report {outcome.report.pk}"
            f" ({carrier.legal_name}, valued {valuation.isoformat()})"
            + (f"; dropped {outcome.dropped} bad rows." if outcome.dropped else ".")
        )

    def _carrier(self, agency, insured, carrier_id):
        visible = Carrier.objects.visible_to(agency)
        if carrier_id is not None:
            carrier = visible.filter(pk=carrier_id).first()
            if carrier is None:
                raise CommandError(f"No carrier {carrier_id} visible to agency {agency.slug}.")
            return carrier
        ids = set(
            scoped(LossRunRequest, agency)
            .filter(insured=insured)
            .values_list("carrier_id", flat=True)
        )
        if len(ids) != 1:
            raise CommandError(
                "Pass --carrier: the insured's requests do not name exactly one carrier."
            )
        return visible.get(pk=ids.pop())
