"""The live stack for the end-to-end tests: the real product in its own processes.

One session starts, on 127.0.0.1 and a free port, with ONE environment shared by all:
- `manage.py migrate`, then `manage.py runserver --noreload`;
- a real Celery worker (`celery -A config worker --pool=solo`);
- settings: tests.e2e.settings, which is config.settings.local (the `make run` mode) with
  a Celery queue named for this run, so runs sharing a Redis server never mix tasks;
- the database: a fresh SQLite file in a temporary folder, or, when DATABASE_URL names a
  PostgreSQL server, a fresh `e2e_<random>` database on it (dropped at the end);
- the broker: the Redis server of CELERY_BROKER_URL when it is Redis, on database
  E2E_REDIS_DB (default 13), else a SQLAlchemy/SQLite broker file in the temporary folder;
- e-mail: the file-based backend into a temporary "captured outbox" folder;
- SITE_URL = the live server, so the links in e-mails point at it.

Browser: Playwright driving Debian's chromium (/usr/bin/chromium, or E2E_CHROMIUM). Without
it (or without the playwright package) every test here is skipped with the reason.

Artifacts (test-artifacts/e2e/): on a failure, a screenshot and the HTML of every open page
under <test name>/; the server and worker logs under logs/; the journey's step screenshots
under journey/.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.e2e.helpers import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    STAFF_EMAIL,
    STAFF_PASSWORD,
    BrowserLog,
    LiveStack,
    Outbox,
    PostgresDatabase,
    Service,
    build_env,
    free_port,
    redis_forget_queue,
    redis_url_for_e2e,
    save_page,
    wait_until,
)

E2E_DIR = Path(__file__).resolve().parent
PAGE_TIMEOUT_MS = 15_000


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return (
            f"end-to-end tests need Debian's chromium at {CHROMIUM} "
            "(apt-get install chromium, or set E2E_CHROMIUM)"
        )
    if importlib.util.find_spec("playwright") is None:
        return "end-to-end tests need the playwright Python package"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    if reason is None:
        return
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    port = free_port()
    outbox_dir = tmp / "outbox"
    outbox_dir.mkdir()
    (tmp / "documents").mkdir()
    logs = ARTIFACTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    given_db = os.environ.get("DATABASE_URL", "")
    pg = PostgresDatabase(given_db) if _is_postgres(given_db) else None
    database_url = pg.url if pg else f"sqlite:///{tmp / 'db.sqlite3'}"
    given_broker = os.environ.get("CELERY_BROKER_URL", "")
    if given_broker.startswith(("redis://", "rediss://")):
        broker_url = redis_url_for_e2e(given_broker)
    else:
        broker_url = f"sqla+sqlite:///{tmp / 'broker.sqlite3'}"

    env = build_env(
        tmp=tmp,
        port=port,
        database_url=database_url,
        broker_url=broker_url,
        outbox_dir=outbox_dir,
    )
    stack = LiveStack(
        base_url=f"http://127.0.0.1:{port}", env=env, tmp=tmp, outbox=Outbox(outbox_dir)
    )
    if pg:
        pg.create()
    try:
        stack.manage("migrate", "--noinput", timeout=300)
        stack.manage("createsuperuser", "--noinput", "--email", STAFF_EMAIL)
        stack.web = Service(
            "web",
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            env,
            logs / "web.log",
        )
        stack.worker = Service(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"e2e-{port}@%h",
            ],
            env,
            logs / "worker.log",
        )

        def web_healthy():
            stack.web.assert_running()
            return stack.get_status("/healthz") == 200

        wait_until(web_healthy, timeout=60, what="the web server's /healthz to answer 200")

        def worker_ready():
            stack.worker.assert_running()
            return " ready." in stack.worker.log_text()

        wait_until(worker_ready, timeout=60, what="the Celery worker to be ready")
        yield stack
    finally:
        for service in (stack.worker, stack.web):
            if service is not None:
                service.stop()
        if pg:
            pg.drop()
        if broker_url.startswith("redis"):
            redis_forget_queue(broker_url, env["E2E_CELERY_QUEUE"])


@pytest.fixture(scope="session")
def staff_credentials():
    return STAFF_EMAIL, STAFF_PASSWORD


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def browser_log():
    return BrowserLog()


@pytest.fixture
def new_context(request, browser, live_stack, browser_log):
    """Factory of browser contexts (one per person); failure artifacts for all their pages."""
    contexts = []
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)  # no stale failure artifacts from an earlier run

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_stack.base_url, **options)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        context.set_default_navigation_timeout(2 * PAGE_TIMEOUT_MS)
        context.on("page", browser_log.attach)
        contexts.append(context)
        return context

    yield make

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                save_page(page, folder, f"context{i}-page{j}")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "browser-log.txt").write_text("\n".join(browser_log.entries), encoding="utf-8")
        with contextlib.suppress(Exception):
            mails = [
                f"== {m.key}\nTo: {m.to}\nSubject: {m.subject}\n\n{m.text}"
                for m in live_stack.outbox.messages()
            ]
            (folder / "outbox.txt").write_text("\n".join(mails), encoding="utf-8")
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()
