"""Run a program with its clock moved: `python tests/drills/clock.py SECONDS PROGRAM ARGS...`.

PROGRAM is a script path (manage.py) or `-m module` (celery). The clock keeps ticking
from `now + SECONDS`, and forked children (Celery's prefork pool) inherit it. A drill uses
this to let a claim time out, or a backoff pass, without waiting for it.
"""

import runpy
import sys
import time

import time_machine


def main() -> None:
    offset = float(sys.argv[1])
    time_machine.travel(time.time() + offset, tick=True).start()
    args = sys.argv[2:]
    if args[0] == "-m":
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = args
        runpy.run_path(args[0], run_name="__main__")


if __name__ == "__main__":
    main()
