"""Create loss-run requests whose first notice is overdue: `python -m tests.drills.seed N`.

Run as a drill's subprocess with the drill's settings and database. Each request was
created three weeks ago with no first-request date, so its day-5 reminder is due now (the
day-2 one is superseded): one e-mail per request. Prints the request ids as JSON.

`--waves W --interval S` creates N requests W times, S seconds apart (agents at work
while the schedulers run). `--sweep` then runs `manage.py tracker_sweep` in the same
process (one Django start-up instead of two) and returns its output as "sweep".
"""

import argparse
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

    from accounts.models import Agency
    from tests.factories import AgencyFactory, LossRunRequestFactory, UserFactory
    from tracker.schedule import request_schedule_refresh

    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--waves", type=int, default=1)
    parser.add_argument("--interval", type=float, default=0.0)
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()

    stamp = time.time_ns()
    agency = AgencyFactory(
        slug=f"drill-{stamp}",
        name=f"Drill agency {stamp}",
        time_zone="America/New_York",
        holiday_calendar=Agency.HolidayCalendar.FEDERAL,
        # Open around the clock: a drill sweeps at the real time of the run, and notices go
        # out only inside working hours (on a weekend or holiday a drill sends nothing).
        notify_time=dt.time(0, 0),
        work_opens=dt.time(0, 0),
        work_closes=dt.time(23, 59, 59, 999999),
        copy_addresses="",
    )
    owner = UserFactory(agency=agency, email=f"owner-{stamp}@drill.test")
    created = timezone.now() - dt.timedelta(days=21)
    ids = []
    for wave in range(args.waves):
        if wave:
            time.sleep(args.interval)
        for _ in range(args.n):
            req = LossRunRequestFactory(agency=agency, created_by=owner, created_at=created)
            request_schedule_refresh(req)
            ids.append(req.pk)
    out = {"agency_id": agency.pk, "owner_email": owner.email, "request_ids": ids}
    if args.sweep:
        import io

        from django.core.management import call_command

        buf = io.StringIO()
        call_command("tracker_sweep", stdout=buf)
        out["sweep"] = buf.getvalue()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
