"""python manage.py extract_loss_run FILE [--json]

Reads a loss-run PDF with the same engine as the web import (claims.extract) and prints the
claims, each term's reconciliation and the warnings. Nothing is stored.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extract import Extraction, OcrUnavailable, PdfRejected, extract_pdf
from claims.rules import INCURRED_CONVENTIONS


class Command(BaseCommand):
    help = "Extract the claims of a loss-run PDF (text or scanned) and print them; stores nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--json",
            action="store_true",
            help='Print {"claims": [...], "terms": [...], "warnings": [...]}.',
        )

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = extract_pdf(path.read_bytes())
        except (PdfRejected, OcrUnavailable) as exc:
            raise CommandError(str(exc)) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
            return
        self._print(result)

    def _print(self, result: Extraction) -> None:
        out = self.stdout.write
        out(f"Carrier: {result.carrier or '(not printed)'}")
        out(f"Insured: {result.insured or '(not printed)'}")
        out(f"Valuation date: {result.valuation_date or '(not printed)'}")
        scanned = f", {len(result.ocr_pages)} read by OCR" if result.ocr_pages else ""
        out(f"Pages: {result.pages}{scanned}; claims found: {len(result.claims)}")
        if result.incurred_convention:
            out(f"Incurred printed: {INCURRED_CONVENTIONS[result.incurred_convention]}")
        for term in result.terms:
            out("")
            out(f"Term {term.policy_number or '?'} {term.term_start or '?'} to {term.term_end or '?'}: "
                + ("no claims" if term.no_claims else f"{term.claim_count} claims"))  # fmt: skip
            for claim in result.claims:
                key = (claim.get("policy_number"), claim.get("term_start"), claim.get("term_end"))
                if key != term.key:
                    continue
                flag = "  !" if claim.flags else "   "
                out(f"{flag} {claim.get('claim_number') or '?':<18} {claim.get('date_of_loss') or '?':<10}"
                    f" {claim.get('status') or '?':<10} incurred {claim.get('total_incurred') or '-':>12}"
                    f"  (page {claim.page})")  # fmt: skip
            if term.reconciled is None:
                out("    no printed totals to reconcile with")
            elif term.reconciled:
                out("    printed totals match the claims")
            for mismatch in term.mismatches:
                out(f"    mismatch: {mismatch}")
        if result.warnings:
            out("")
            out(f"Warnings ({len(result.warnings)}):")
            for warning in result.warnings:
                out(f"  {warning}")
