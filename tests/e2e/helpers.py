"""Helpers of the end-to-end tests: the live stack, the captured outbox, PDFs and the browser log.

Nothing here imports the product: the product runs in its own processes (web server,
Celery worker, management commands) and the tests meet it only over HTTP, in the outbox
folder and through the command line, as its users and operators do.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import io
import os
import re
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.live import free_port, wait_until  # noqa: F401 - re-exported for the tests

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "e2e"
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))  # Debian's chromium
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STAFF_EMAIL = "helpdesk-staff@e2e.example.com"
STAFF_PASSWORD = "Staff-" + secrets.token_urlsafe(12)


# --- the database and the broker ---------------------------------------------------------


@dataclass
class PostgresDatabase:
    """A fresh database on the server named by a postgres:// URL, dropped afterwards."""

    server_url: str
    name: str = field(default_factory=lambda: f"e2e_{secrets.token_hex(4)}")

    def _admin_connect(self):
        import psycopg

        parts = urlsplit(self.server_url)
        return psycopg.connect(
            host=parts.hostname or "localhost",
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        )

    @property
    def url(self) -> str:
        parts = urlsplit(self.server_url)
        return urlunsplit((parts.scheme, parts.netloc, f"/{self.name}", "", ""))

    def create(self) -> None:
        with self._admin_connect() as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with self._admin_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def redis_url_for_e2e(url: str) -> str:
    """The environment's Redis server, on the e2e tests' database (E2E_REDIS_DB, default 13).

    The test suite and the drills (DRILLS_REDIS_DB, default 12) use other databases; two
    e2e runs on one server are kept apart by their queue names (E2E_CELERY_QUEUE).
    """
    parts = urlsplit(url)
    db = int(os.environ.get("E2E_REDIS_DB", "13"))
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


def redis_forget_queue(url: str, queue: str) -> None:
    """Remove this run's queue and its binding from Redis (best effort)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
    try:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    except redis.RedisError:
        pass
    finally:
        client.close()


# --- processes ---------------------------------------------------------------------------


class Service:
    """A long-running process of the stack (web server or worker), logging to a file."""

    def __init__(self, name: str, args: list[str], env: dict, log_path: Path) -> None:
        self.name = name
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            args,
            cwd=REPO_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def assert_running(self) -> None:
        if self.proc.poll() is not None:
            tail = self.log_text()[-3000:]
            raise AssertionError(f"{self.name} exited with {self.proc.returncode}:\n{tail}")

    def stop(self, grace: float = 10.0) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=grace)
        self._log.close()


@dataclass
class LiveStack:
    """The product running on 127.0.0.1: what the tests need to reach it."""

    base_url: str
    env: dict
    tmp: Path
    outbox: Outbox
    web: Service | None = None
    worker: Service | None = None

    def manage(self, *args: str, timeout: float = 120, check: bool = True, extra_env=None):
        """Run `manage.py <args>` with the stack's environment; returns the CompletedProcess."""
        env = {**self.env, **(extra_env or {})}
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed ({done.returncode}):\n"
                f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )
        return done

    def shell(self, code: str, timeout: float = 120) -> str:
        """Run Python in `manage.py shell` (setup the UI does not offer, e.g. staff users)."""
        return self.manage("shell", "-c", code, timeout=timeout).stdout

    def url(self, path: str) -> str:
        return self.base_url + path

    def get_status(self, path: str) -> int:
        try:
            with urllib.request.urlopen(self.url(path), timeout=5) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0


def build_env(
    *, tmp: Path, port: int, database_url: str, broker_url: str, outbox_dir: Path
) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_", "PYTEST_")) and k not in {"DATABASE_URL"}
    }
    env.update(
        {
            # config.settings.local with a queue of this run's own (tests/e2e/settings.py).
            "DJANGO_SETTINGS_MODULE": "tests.e2e.settings",
            "E2E_CELERY_QUEUE": f"e2e-{port}-{secrets.token_hex(4)}",
            "DJANGO_SECRET_KEY": "e2e-" + secrets.token_urlsafe(32),
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp / "celerybeat-schedule"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(outbox_dir),
            "SITE_URL": f"http://127.0.0.1:{port}",
            "DOCUMENT_ROOT": str(tmp / "documents"),
            "STATIC_ROOT": str(tmp / "static"),
            "HELPDESK_EMAIL": "helpdesk@e2e.example.com",
            # The agency's e-mail waits for the merge window: short, so the journey is quick.
            "HELPDESK_UPDATE_WINDOW_SECONDS": "2",
            "DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD,
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# --- the captured outbox -----------------------------------------------------------------

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
LINK_RE = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class Mail:
    key: str  # file name and index: stable across reads
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["subject"] or "")

    @property
    def to(self) -> str:
        return str(self.message["to"] or "")

    @property
    def tracker_notice(self) -> str | None:
        value = self.message["X-Tracker-Notice"]
        return str(value) if value else None

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        return body.get_content() if body is not None else ""

    @property
    def html(self) -> str:
        body = self.message.get_body(preferencelist=("html",))
        return body.get_content() if body is not None else ""

    def links(self) -> list[str]:
        return [u.rstrip(".,;)") for u in LINK_RE.findall(self.text)]

    def link_to(self, path_part: str) -> str:
        found = [u for u in self.links() if path_part in u]
        assert found, f"No link containing {path_part!r} in {self.subject!r}: {self.links()}"
        return found[0]


class Outbox:
    """The file-based e-mail backend's folder (what the worker delivered), parsed message by message."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def messages(self) -> list[Mail]:
        out: list[Mail] = []
        if not self.folder.exists():
            return out
        for path in sorted(self.folder.glob("*.log"), key=lambda p: (p.stat().st_mtime, p.name)):
            chunks = [c for c in path.read_bytes().split(SEPARATOR) if c.strip()]
            for i, chunk in enumerate(chunks):
                message = email.message_from_bytes(chunk.lstrip(b"\n"), policy=email.policy.default)
                out.append(Mail(key=f"{path.name}:{i}", message=message))
        return out

    def keys(self) -> set[str]:
        return {m.key for m in self.messages()}

    def new_since(self, seen: set[str]) -> list[Mail]:
        return [m for m in self.messages() if m.key not in seen]

    def wait_for(self, predicate, *, timeout: float = 30, what: str = "an e-mail") -> Mail:
        def found():
            return next((m for m in self.messages() if predicate(m)), None)

        return wait_until(found, timeout=timeout, interval=0.3, what=what)


# --- PDFs --------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def small_pdf(text: str) -> bytes:
    """A one-page PDF (a scan of the signed letter, as far as the product can tell)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    safe = text.replace("\\", "").replace("(", "").replace(")", "")
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 14 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1", "replace"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- what the browser reports ------------------------------------------------------------


class BrowserLog:
    """Console errors, uncaught JS errors, CSP violations and 5xx responses of a page."""

    def __init__(self) -> None:
        self.entries: list[str] = []
        self.problems: list[str] = []

    def attach(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self._problem(f"JS error on {page.url}: {exc}"))
        page.on("response", self._on_response)

    def _problem(self, text: str) -> None:
        self.entries.append(text)
        self.problems.append(text)

    def _on_console(self, msg) -> None:
        text = f"console.{msg.type} on {msg.page.url if msg.page else '?'}: {msg.text}"
        if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
            self._problem(f"CSP violation: {text}")
        elif msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self._problem(text)
        else:
            # "Failed to load resource" repeats a response status; 5xx ones are caught below,
            # 4xx ones are the product answering bad input (e.g. a form refused with 400).
            self.entries.append(text)

    def _on_response(self, response) -> None:
        if response.status >= 500:
            self._problem(f"HTTP {response.status} from {response.request.method} {response.url}")

    def assert_clean(self) -> None:
        assert not self.problems, "The browser reported problems:\n" + "\n".join(self.problems)


def screenshot(page, path: Path) -> None:
    """A full-page screenshot that leaves the page as it was.

    Playwright's default (caret="hide") styles the page's inputs through the CSSOM; htmx
    later copies those style attributes when it swaps a fragment, which the page's CSP
    then reports as an inline-style violation the product never made.
    """
    page.screenshot(path=str(path), full_page=True, caret="initial", timeout=10_000)


def save_page(page, folder: Path, name: str) -> None:
    """Screenshot and HTML of the page; never raises (used while reporting a failure)."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(Exception):
        screenshot(page, folder / f"{name}.png")
    with contextlib.suppress(Exception):
        (folder / f"{name}.html").write_text(page.content(), encoding="utf-8")
