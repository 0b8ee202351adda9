"""Per-call cost of BusinessCalendar.add_business_days against numpy.busday_offset.

    .venv/bin/python bench/tracker_calendar.py

Pure Python, no database: the same dates, the same holiday list (federal + NY).
"""

import datetime as dt
import os
import random
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import numpy as np  # noqa: E402

from tracker.calendar import BusinessCalendar, holiday_dates  # noqa: E402

N = 200_000


def main() -> None:
    t0 = timeit.default_timer()
    cal = BusinessCalendar(state="NY")
    build = timeit.default_timer() - t0
    holidays = np.array(sorted(holiday_dates("NY", range(1990, 2101))), dtype="datetime64[D]")
    rng = random.Random(7)
    days = [dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(0, 32000)) for _ in range(1000)]
    np_days = [np.datetime64(d) for d in days]

    def ours():
        for d in days:
            cal.add_business_days(d, 10)

    def numpy_():
        for d in np_days:
            np.busday_offset(d, 10, roll="backward", holidays=holidays)

    cal_hol = np.busdaycalendar(holidays=holidays)

    def numpy_cal():
        for d in np_days:
            np.busday_offset(d, 10, roll="backward", busdaycal=cal_hol)

    reps = N // len(days)
    print(f"calendar build (federal + NY, 1990-2100): {build * 1000:.1f} ms")
    for label, fn in [
        ("BusinessCalendar.add_business_days", ours),
        ("numpy.busday_offset(holidays=...)", numpy_),
        ("numpy.busday_offset(busdaycal=...)", numpy_cal),
    ]:
        best = min(timeit.repeat(fn, number=reps, repeat=3))
        print(f"{label:40s} {best / (reps * len(days)) * 1e6:6.2f} us per call")


if __name__ == "__main__":
    main()
