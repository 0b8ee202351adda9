"""Failure drills: real Celery workers, beat, web and SMTP processes on PostgreSQL + Redis.

They run when DATABASE_URL is PostgreSQL and CELERY_BROKER_URL is Redis (as in CI), and
are skipped otherwise. They use a database of their own (`<DATABASE_URL's name>_drills`,
migrated once per run) and Redis database DRILLS_REDIS_DB (default 12), flushed per drill.
"""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.drills.harness import Drill, DrillDatabase, MailSink, free_port

DATABASE_URL = os.environ.get("DATABASE_URL", "")
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
ENABLED = DATABASE_URL.startswith(("postgres://", "postgresql://")) and BROKER_URL.startswith(
    "redis://"
)


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(
        reason="drills need DATABASE_URL=postgres://... and CELERY_BROKER_URL=redis://..."
    )
    for item in items:
        if "tests/drills/" in str(item.fspath) and not ENABLED:
            item.add_marker(skip)


def drill_broker_url() -> str:
    parts = urlsplit(BROKER_URL)
    return urlunsplit(parts._replace(path=f"/{os.environ.get('DRILLS_REDIS_DB', '12')}"))


@pytest.fixture(scope="session")
def drill_db(tmp_path_factory):
    name = (urlsplit(DATABASE_URL).path.lstrip("/") or "lossrun") + "_drills"
    db = DrillDatabase(DATABASE_URL, name)
    db.recreate()
    logdir = tmp_path_factory.mktemp("drills-setup")
    setup = Drill(db, drill_broker_url(), logdir, smtp_port=free_port())
    setup.manage("migrate", "--noinput", timeout=300)
    yield db
    db.drop()


@pytest.fixture
def mail():
    sink = MailSink(free_port())
    sink.up()
    yield sink
    sink.release()
    sink.down()


@pytest.fixture
def drill(drill_db, mail, tmp_path, request):
    import redis

    drill_db.truncate_all()
    broker = drill_broker_url()
    redis.Redis.from_url(broker).flushdb()
    d = Drill(drill_db, broker, tmp_path, smtp_port=mail.port)
    yield d
    d.close()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(d.logs())


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    if rep.when == "call":
        item.rep_call = rep
    return rep
