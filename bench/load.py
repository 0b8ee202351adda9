"""Bounded load test on loopback: gunicorn on PostgreSQL (bench/vault_list.py's 1,000,000
requests), 50 agents of 10 agencies browsing for 2 minutes.

    .venv/bin/python bench/vault_list.py generate     # once, if not done yet
    .venv/bin/python bench/load.py [--agents 50] [--agencies 10] [--seconds 120] [--workers N]

It starts gunicorn itself on 127.0.0.1 (a free port) with config/gunicorn.py (the
production web servers' settings; --workers overrides its worker count) and a private
redis-server on another free loopback port (production's cache), under the production settings (HTTPS
assumed through X-Forwarded-Proto, as behind a proxy), signs every agent in through the
sign-in form (before the clock starts), then each agent loops: a page (Today, the vault, its next page, a status
filter, a search, a request's edit page, a request's "+" row), then 1-3 s of thinking, as
a person at work. Latency is measured by the client (queueing included). Afterwards it
prints p50/p95/p99 per page and overall, and every error (status >= 400 or no answer).
The first --warmup seconds (10) are not counted. It stops by itself after them and --seconds and never sends anything but to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only, never configurable
PASSWORD = "bench-load-pass-2026"
USERS_PER_AGENCY = 5
PAGES = [  # (name, weight)
    ("today", 20),
    ("vault", 20),
    ("vault next page", 15),
    ("vault status filter", 10),
    ("vault search", 15),
    ("request edit", 10),
    ("request row", 10),
]
STATUSES = ["awaiting_first", "first_sent", "second_due", "waiting", "help_desk", "received"]


def server_env(static_root: str, redis_port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=os.environ.get(
            "DATABASE_URL", "postgres://lossrun:lossrun@localhost:5432/bench_vault"
        ),
        CELERY_BROKER_URL="memory://",
        CACHE_URL=f"redis://{HOST}:{redis_port}/0",
        STATIC_ROOT=static_root,
        ACCESS_LOG_LEVEL="WARNING",
        AXES_FAILURE_LIMIT="1000",
        PYTHONPATH=str(ROOT),
    )
    return env


SETUP = """
import json, django
django.setup()
from django.db import connection
if connection.vendor == "postgresql":
    # A migration's backfill leaves the table's pages not all-visible until autovacuum comes
    # by, so index-only counts read the table meanwhile: measure the settled state.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) vault_lossrunrequest")
from accounts.models import Agency, User
from vault.models import Insured
agencies = list(Agency.objects.filter(slug="bench-big")) + list(
    Agency.objects.exclude(slug="bench-big").filter(slug__startswith="bench-").order_by("id")[: {n} - 1])
out = []
for agency in agencies:
    users = []
    for i in range({per}):
        email = f"load{{i}}@{{agency.slug}}.test"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password={password!r}, agency=agency,
                                            full_name=f"Load Agent {{i}}", role=User.Role.MEMBER)
        users.append(email)
    names = list(Insured.objects.filter(agency=agency).order_by("?").values_list("legal_name", flat=True)[:20])
    out.append({{"agency": agency.slug, "users": users, "terms": [n.split()[0][:8] for n in names]}})
print(json.dumps(out))
"""


class Agent(threading.Thread):
    def __init__(self, port: int, email: str, terms: list[str], deadline: float, results, seed):
        super().__init__(daemon=True)
        self.port, self.email, self.terms, self.deadline = port, email, terms, deadline
        self.results = results
        self.cookies: dict[str, str] = {}
        self.rng = random.Random(seed)
        self.request_ids: list[int] = []
        self.next_link = ""
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)

    def _send(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                cookie = http.cookies.SimpleCookie(value)
                self.cookies.update({k: m.value for k, m in cookie.items()})
        return response.status, data.decode(errors="replace")

    def sign_in(self) -> None:
        status, page = self._send("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        status, _ = self._send(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://{HOST}:{self.port}/accounts/login/",
            },
        )
        if status != 302:
            raise RuntimeError(f"sign-in of {self.email} answered {status}")

    def path_for(self, page: str) -> str:
        if page == "today":
            return "/"
        if page == "vault next page" and self.next_link:
            return self.next_link
        if page == "vault status filter":
            return "/vault/?status=" + self.rng.choice(STATUSES)
        if page == "vault search" and self.terms:
            return "/vault/?q=" + urllib.parse.quote(self.rng.choice(self.terms))
        if page in ("request edit", "request row") and self.request_ids:
            rid = self.rng.choice(self.request_ids)
            return f"/vault/requests/{rid}/{'edit' if page == 'request edit' else 'row'}/"
        return "/vault/"

    def run(self) -> None:
        if not self.cookies.get("sessionid"):
            return  # its sign-in failed (counted)
        names = [p for p, _ in PAGES]
        weights = [w for _, w in PAGES]
        while time.monotonic() < self.deadline:
            page = self.rng.choices(names, weights)[0]
            path = self.path_for(page)
            started = time.monotonic()
            try:
                status, body = self._send("GET", path)
            except Exception as exc:  # noqa: BLE001
                self.results.append((page, time.monotonic() - started, f"error: {exc}", started))
                continue
            self.results.append((page, time.monotonic() - started, status, started))
            if path.startswith("/vault/") and "/requests/" not in path:
                ids = [int(i) for i in re.findall(r'id="req-(\d+)"', body)]
                self.request_ids = ids or self.request_ids
                found = re.search(r'href="(\?[^"]*)" rel="next"', body)
                self.next_link = "/vault/" + found.group(1).replace("&amp;", "&") if found else ""
            time.sleep(min(self.rng.uniform(1.0, 3.0), max(0.0, self.deadline - time.monotonic())))


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of one process from /proc; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(master: int) -> float:
    """CPU seconds of gunicorn's master and its workers (the processes whose parent it is)."""
    total = process_cpu(master)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                total += process_cpu(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / hz, sum(ticks) / hz


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--agencies", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, help="gunicorn workers (config/gunicorn.py's)")
    parser.add_argument("--warmup", type=float, default=10, help="seconds not counted first")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from tests.live import free_port, wait_until

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    static_root = tempfile.mkdtemp(prefix="load-static-")
    redis_port = free_port()
    redis = subprocess.Popen(  # noqa: S603, S607 - fixed arguments, loopback only
        ["redis-server", "--bind", HOST, "--port", str(redis_port), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    env = server_env(static_root, redis_port)
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(  # noqa: S603
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    setup = SETUP.format(n=args.agencies, per=USERS_PER_AGENCY, password=PASSWORD)
    done = subprocess.run(  # noqa: S603
        [python, "-c", setup], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    import json

    agencies = json.loads(done.stdout.strip().splitlines()[-1])
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / "bench-load-gunicorn.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [python, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]
        + ["--bind", f"{HOST}:{port}"]
        + (["--workers", str(args.workers)] if args.workers else []),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:

        def up():
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=5)
                conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
                return conn.getresponse().status in (200, 503)
            except OSError:
                return False

        wait_until(up, timeout=60, what="gunicorn")
        results: list = []
        deadline = time.monotonic() + args.warmup + args.seconds
        counted_from = time.monotonic() + args.warmup
        agents = []
        for i in range(args.agents):
            agency = agencies[i % len(agencies)]
            email = agency["users"][(i // len(agencies)) % USERS_PER_AGENCY]
            agents.append(Agent(port, email, agency["terms"], deadline, results, seed=i))
        # Agents are signed in (through the form) before the clock starts: the password
        # hash is the sign-in's cost, paid once a day, not browsing's.
        for agent in agents:
            try:
                agent.sign_in()
            except Exception as exc:  # noqa: BLE001 - counted as an error
                results.append(("sign-in", 0.0, f"error: {exc}", time.monotonic()))
        deadline = time.monotonic() + args.warmup + args.seconds
        counted_from = time.monotonic() + args.warmup
        for agent in agents:
            agent.deadline = deadline
        started = time.monotonic()
        cpu_before = (time.process_time(), server_cpu(server.pid), machine_busy())
        for agent in agents:
            agent.start()
            time.sleep(0.05)
        for agent in agents:
            agent.join(args.warmup + args.seconds + 60)
        elapsed = time.monotonic() - max(started, counted_from)
        run_seconds = time.monotonic() - started
        cpu_after = (time.process_time(), server_cpu(server.pid), machine_busy())
    finally:
        server.terminate()
        server.wait(20)
        redis.terminate()
        redis.wait(20)
        log.close()
        shutil.rmtree(static_root, ignore_errors=True)

    by_page = defaultdict(list)
    errors = defaultdict(int)
    served = sum(1 for r in results if r[0] != "sign-in")  # warm-up included, as the CPU is
    results = [r for r in results if r[3] >= counted_from or r[0] == "sign-in"]
    for page, seconds, status, _at in results:
        if page != "sign-in":
            by_page[page].append(seconds)
        if not isinstance(status, int) or status >= 400:
            errors[(page, str(status)[:80])] += 1
    every = [s for page, s, _, _ in results if page != "sign-in"]
    print(
        f"{args.agents} agents of {len(agencies)} agencies, {elapsed:.0f} s, gunicorn "
        f"{args.workers or 'config/gunicorn.py'} workers: {len(every)} requests "
        f"({len(every) / elapsed:.1f}/s)\nload average before {load_before}, after "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)\n"
    )
    cores = os.cpu_count() or 1
    client = cpu_after[0] - cpu_before[0]
    web = cpu_after[1] - cpu_before[1]
    busy = cpu_after[2][0] - cpu_before[2][0]
    print(
        f"CPU over the {run_seconds:.0f} s run (warm-up included), share of {cores} cores: "
        f"this load client {client / run_seconds / cores:.1%}, gunicorn "
        f"{web / run_seconds / cores:.1%} ({web * 1000 / max(1, served):.0f} ms a "
        f"request), whole machine {busy / run_seconds / cores:.1%} (the rest: PostgreSQL, "
        "Redis and anything else running)\n"
    )
    print(f"{'page':24} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for page, _ in PAGES:
        values = by_page.get(page, [])
        if values:
            print(
                f"{page:24} {len(values):8d} {pct(values, 50):8.0f} {pct(values, 95):8.0f} "
                f"{pct(values, 99):8.0f}"
            )
    print(
        f"{'all':24} {len(every):8d} {pct(every, 50):8.0f} {pct(every, 95):8.0f} "
        f"{pct(every, 99):8.0f}  (mean {statistics.mean(every) * 1000:.0f})"
    )
    print(f"\nerrors: {sum(errors.values())}")
    for (page, status), n in sorted(errors.items()):
        print(f"  {page}: {status} x{n}")


if __name__ == "__main__":
    main()
