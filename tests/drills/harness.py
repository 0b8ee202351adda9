"""What the failure drills run on: real processes, a local SMTP server, a TCP proxy to
PostgreSQL, a database of their own. Every wait is bounded; every process is stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from aiosmtpd.controller import Controller

from tests.live import free_port, wait_until  # noqa: F401 - re-exported for the tests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CLOCK = str(ROOT / "tests" / "drills" / "clock.py")
KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


# --- database ------------------------------------------------------------------------------


class DrillDatabase:
    """A PostgreSQL database of the drills' own, next to the one in DATABASE_URL."""

    def __init__(self, database_url: str, name: str):
        parts = urlsplit(database_url)
        self.user = parts.username or "postgres"
        self.password = parts.password or ""
        self.host = parts.hostname or "localhost"
        self.port = parts.port or 5432
        self.name = name

    def url(self, *, port: int | None = None, host: str | None = None) -> str:
        return (
            f"postgres://{self.user}:{self.password}@{host or self.host}:{port or self.port}"
            f"/{self.name}"
        )

    def connect(self, dbname: str | None = None) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=dbname or self.name,
            autocommit=True,
            connect_timeout=5,
        )

    def recreate(self) -> None:
        with self.connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with self.connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def truncate_all(self) -> None:
        with self.connect() as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()
                if r[0] not in KEEP_TABLES
            ]
            if tables:
                conn.execute(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
                )

    def rows(self, sql: str, params=()) -> list[tuple]:
        with self.connect() as conn:
            return conn.execute(sql, params).fetchall()

    def notices(self) -> list[dict]:
        """Each notice with the delivery state of its outbox e-mail (cancelled: the notice's)."""
        cols = [
            "id",
            "request_id",
            "milestone",
            "status",
            "attempts",
            "last_error",
            "claimed_at",
            "email_id",
        ]
        rows = self.rows(
            "SELECT n.id, n.request_id, n.milestone,"
            " CASE WHEN n.status = 'cancelled' THEN 'cancelled' ELSE COALESCE(e.status, n.status) END,"
            " COALESCE(e.attempts, 0), COALESCE(NULLIF(n.last_error, ''), e.last_error, ''),"
            " e.claimed_at, n.email_id"
            " FROM tracker_notification n LEFT JOIN outbox_email e ON e.id = n.email_id"
            " ORDER BY n.id"
        )
        return [dict(zip(cols, r, strict=True)) for r in rows]

    def emails(self) -> list[dict]:
        cols = ["id", "kind", "to", "subject", "status", "attempts", "last_error", "message_id"]
        rows = self.rows(
            'SELECT id, kind, "to", subject, status, attempts, last_error, message_id'
            " FROM outbox_email ORDER BY id"
        )
        return [dict(zip(cols, r, strict=True)) for r in rows]


# --- processes -----------------------------------------------------------------------------


class Proc:
    """A subprocess in its own process group, its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict, logdir: Path):
        self.name = name
        self.log_path = logdir / f"{name}.log"
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(  # noqa: S603 - fixed argument lists
            args,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, pattern: str, *, timeout: float) -> re.Match:
        def found():
            if self.popen.poll() is not None:
                raise AssertionError(f"{self.name} exited early:\n{self.log()[-3000:]}")
            return re.search(pattern, self.log())

        return wait_until(found, timeout=timeout, what=f"{self.name} to log {pattern!r}")

    def kill_group(self, sig=signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def stop(self, timeout: float = 10) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill_group(signal.SIGKILL)
                self.popen.wait(5)
        else:
            self.kill_group(signal.SIGKILL)  # orphaned pool children, if any
        self._log.close()


class Drill:
    """One drill's processes and environment; `close()` stops them all."""

    def __init__(self, db: DrillDatabase, broker_url: str, logdir: Path, smtp_port: int):
        self.db = db
        self.broker_url = broker_url
        self.logdir = logdir
        self.smtp_port = smtp_port
        self.procs: list[Proc] = []

    def env(self, *, database_url: str | None = None, **extra) -> dict:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "CELERY_", "EMAIL_", "DATABASE_URL", "CACHE_URL"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="tests.drills.settings",
            DATABASE_URL=database_url or self.db.url(),
            CELERY_BROKER_URL=self.broker_url,
            CACHE_URL=self.broker_url,  # shared by every process, as in production
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp_port),
            PYTHONUNBUFFERED="1",
            PYTHONPATH=str(ROOT),
        )
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def start(self, name: str, args: list[str], *, clock: float = 0, **env) -> Proc:
        args = [PYTHON, CLOCK, str(clock), *args] if clock else [PYTHON, *args]
        proc = Proc(name, args, self.env(**env), self.logdir)
        self.procs.append(proc)
        return proc

    def web(self, *, name: str = "web", wait: bool = True, **env) -> int:
        """gunicorn (as deployed) on a free port; returns the port."""
        port = free_port()
        proc = self.start(
            name,
            ["-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1", "--timeout", "30"],
            **env,
        )
        if wait:
            proc.wait_for_log(r"Booting worker", timeout=60)
        return port

    def worker(self, name: str, *, clock: float = 0, wait: bool = True, **env) -> Proc:
        proc = self.start(
            name,
            [
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{name}@drills",
            ],
            clock=clock,
            **env,
        )
        if wait:
            proc.wait_for_log(r"ready\.", timeout=60)
        return proc

    def run(self, args: list[str], *, clock: float = 0, timeout: float = 90, **env) -> str:
        """Run a command to its end (manage.py or a module); its stdout is returned."""
        full = [PYTHON, CLOCK, str(clock), *args] if clock else [PYTHON, *args]
        done = subprocess.run(  # noqa: S603 - fixed argument lists
            full, cwd=ROOT, env=self.env(**env), capture_output=True, text=True, timeout=timeout
        )
        if done.returncode:
            raise AssertionError(f"{args} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout

    def manage(self, *args: str, clock: float = 0, **env) -> str:
        return self.run(["manage.py", *args], clock=clock, **env)

    def seed(self, n: int, *, sweep: bool = False, clock: float = 0, **kwargs) -> dict:
        """Create `n` requests with a notice due; with `sweep`, then run tracker_sweep."""
        extra = [f"--{k}={v}" for k, v in kwargs.items()] + (["--sweep"] if sweep else [])
        return json.loads(self.run(["-m", "tests.drills.seed", str(n), *extra], clock=clock))

    def close(self) -> None:
        for proc in reversed(self.procs):
            proc.stop()

    def logs(self) -> str:
        return "\n".join(f"---- {p.name}\n{p.log()[-4000:]}" for p in self.procs)


class WebSession:
    """A signed-in visitor of the drill's web server (cookies, CSRF), plain urllib."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=15) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def post_form(self, path: str, fields: dict[str, str | list[str]]) -> tuple[int, str, str]:
        """GET the form at `path` for its CSRF token, POST `fields` to it; (status, final URL,
        body). Redirects are followed, as a browser does."""
        status, page = self.get(path)
        assert status == 200, page[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.base + path, data=data.encode(), headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=30) as r:
                return r.status, r.url, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.url, exc.read().decode(errors="replace")

    def sign_in(self, email_address: str, password: str) -> None:
        status, page = self.get("/accounts/login/")
        assert status == 200, page[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"username": email_address, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base + "/"}
        )
        with self.opener.open(request, timeout=15) as r:
            assert "/accounts/login/" not in r.url, "sign-in failed"


# --- SMTP ------------------------------------------------------------------------------------


class MailSink:
    """An SMTP server on 127.0.0.1 that records what it accepted.

    `down()` closes the port (connections are refused); `up()` opens it again on the same
    port. With `stall()` the server takes a message's DATA and then holds its answer until
    `release()`, and never accepts that message: a send caught mid-way.
    """

    def __init__(self, port: int):
        self.port = port
        self.messages: list[email.message.Message] = []
        self.lock = threading.Lock()
        self.stalling = False
        self.stalled = threading.Event()
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        if self.stalling:
            self.stalled.set()
            while self.stalling:
                await asyncio.sleep(0.05)
            return "421 Stalled by the drill; not accepted"
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def up(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def down(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    def stall(self) -> None:
        self.stalled.clear()
        self.stalling = True

    def release(self) -> None:
        self.stalling = False

    def per_notice(self) -> Counter:
        with self.lock:
            return Counter(int(m["X-Tracker-Notice"]) for m in self.messages)

    def per_message_id(self) -> Counter:
        """Accepted messages by Message-ID (the outbox row's, stable across retries)."""
        with self.lock:
            return Counter(m["Message-ID"] for m in self.messages)

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


# --- the database link -----------------------------------------------------------------------


class TcpProxy:
    """127.0.0.1:<port> -> upstream, in a thread. `cut()` drops every connection and
    refuses new ones (the database has gone away); `restore()` listens again."""

    def __init__(self, upstream_host: str, upstream_port: int, port: int):
        self.upstream = (upstream_host, upstream_port)
        self.port = port
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.base_events.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def _call(self, coro, timeout=10):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _pipe(self, reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _handle(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            self.writers -= {writer, up_writer}

    async def _start(self):
        self.server = await asyncio.start_server(
            self._handle, "127.0.0.1", self.port, reuse_address=True
        )

    async def _cut(self):
        if self.server:
            self.server.close()
            self.server = None
        for w in list(self.writers):
            w.transport.abort()
        self.writers.clear()

    def restore(self) -> None:
        self._call(self._start())

    def cut(self) -> None:
        self._call(self._cut())

    async def _close(self):
        await self._cut()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def close(self) -> None:
        self._call(self._close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
