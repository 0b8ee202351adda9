"""A claims import driven as the import pages drive it, for the scale-out drill.

    python -m tests.drills.claims_job setup            -> agency, owner, insured, carrier, request
    python -m tests.drills.claims_job start DOC_ID     -> import job of an uploaded document:
                                                          header read, mapped, import enqueued

Run as a drill subprocess (the drill's settings, database and broker); prints JSON. The
work itself runs on the drill's Celery workers.
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

    from claims import services, tasks
    from claims.importers.rows import TermDefaults
    from tests.factories import AgencyFactory, LossRunRequestFactory, OwnerFactory
    from vault.models import Document

    command, *args = sys.argv[1:]
    if command == "setup":
        stamp = time.time_ns()
        agency = AgencyFactory(slug=f"scale-{stamp}", name=f"Scale agency {stamp}")
        owner = OwnerFactory(agency=agency, email=f"owner-{stamp}@drill.test")
        req = LossRunRequestFactory(agency=agency, created_by=owner)
        out = {"agency_id": agency.pk, "owner_email": owner.email, "request_id": req.pk}
    elif command == "start":
        document = Document.objects.select_related("agency", "insured", "request").get(
            pk=int(args[0])
        )
        req = document.request
        job = services.import_job_start(
            agency=document.agency,
            user=document.uploaded_by,
            insured=req.insured,
            carrier=req.carrier,
            document=document,
            valuation_date=dt.date(2025, 6, 30),
            defaults=TermDefaults(),
        )
        job = services.import_job_read(job=job)
        job = services.import_job_set_mapping(
            agency=job.agency, job=job, fields=job.mapping, valuation_date=job.valuation_date
        )
        tasks.import_commit.delay(job.pk)
        out = {"job_id": job.pk, "mapping": job.mapping}
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
