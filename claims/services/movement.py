"""Reserve movement: each claim of a carrier's newest report knows its previous reserves."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from accounts.models import Agency
from accounts.tenancy import scoped
from claims.models import Claim, LossRunReport
from vault.models import Carrier, Insured


def movement_refresh(*, agency: Agency, insured: Insured, carrier: Carrier) -> None:
    """Set prior_reserves on the carrier's newest report from its previous report.

    Runs after every write that can change which reports are newest or their reserves, so
    summaries read reserve movement with a plain filter. Call inside a transaction.
    """
    newest = list(
        scoped(LossRunReport, agency)
        .filter(insured=insured, carrier=carrier)
        .order_by("-valuation_date", "-id")
        .values_list("id", flat=True)[:2]
    )
    claims = scoped(Claim, agency).filter(insured=insured, carrier=carrier)
    stale = claims.filter(prior_reserves__isnull=False)
    if newest:
        stale = stale.exclude(report_id=newest[0])
    stale.update(prior_reserves=None)
    if len(newest) == 2:
        older = scoped(Claim, agency).filter(report_id=newest[1], claim_key=OuterRef("claim_key"))
        claims.filter(report_id=newest[0]).update(
            prior_reserves=Subquery(older.values("reserves")[:1])
        )
