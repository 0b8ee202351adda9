"""Seed what a person needs to act in the web app: `python -m tests.drills.seed_actions`.

Run as a drill's subprocess with the drill's settings and database. Creates an agency with
an owner and a request the Help Desk may take (signed first request, proof of carrier for
every policy, second request ignored). Prints the ids as JSON.
"""

import json
import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.drills.settings")
    import django

    django.setup()
    import datetime as dt

    from django.utils import timezone

    from tests.factories import (
        AgencyFactory,
        DocumentFactory,
        LossRunRequestFactory,
        OwnerFactory,
    )
    from vault.models import Document

    stamp = time.time_ns()
    agency = AgencyFactory(slug=f"drill-{stamp}", name=f"Drill agency {stamp}", copy_addresses="")
    owner = OwnerFactory(agency=agency, email=f"owner-{stamp}@drill.test")
    now = timezone.now()
    req = LossRunRequestFactory(
        agency=agency,
        created_by=owner,
        created_at=now - dt.timedelta(days=40),
        first_request_on=(now - dt.timedelta(days=30)).date(),
        second_request_at=now - dt.timedelta(days=5),
        policies=["GL-123"],
    )
    signed = DocumentFactory(request=req, kind=Document.Kind.AUTH_SIGNED)
    proof = DocumentFactory(request=req, kind=Document.Kind.PROOF_DEC_PAGE, original_name="dec.pdf")
    json.dump(
        {
            "agency_id": agency.pk,
            "owner_email": owner.email,
            "request_id": req.pk,
            "signed_id": signed.pk,
            "proof_id": proof.pk,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
