"""Drill: the product on several "machines" that share no folder, only PostgreSQL, Redis
and an S3 server (moto's, on loopback).

Two gunicorn web servers, two Celery workers and one beat, each process with a document
folder and temp folder of its own. A loss run uploaded through web server 1 downloads,
byte for byte, through web server 2; its claims import runs on a worker; the worker doing
the import is killed (SIGKILL, the whole process group) in the middle: no claim of it is
stored, and Redis hands the unacknowledged task to the other worker once the visibility
timeout passes, which imports it to completion, once.
"""

import csv
import io
import json
import re

import pytest

from tests import s3
from tests.drills.harness import wait_until
from tests.drills.web import WebSession

pytestmark = pytest.mark.postgres

ROWS = 60_000
VISIBILITY = 15  # seconds before Redis hands an unacknowledged task to another worker


def loss_run_csv(n: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["Claim Number", "Policy #", "Policy Period", "DOL", "Status", "Indemnity Paid",
         "Medical Paid", "Expense Paid", "Outstanding", "Total Incurred"]
    )  # fmt: skip
    for i in range(n):
        year = 2020 + i % 5
        open_ = i % 4 == 0
        paid, reserve = 100 + i % 900, (250 if open_ else 0)
        writer.writerow(
            [f"CLM-{i:07d}", f"GL-{year}", f"01/01/{year} - 01/01/{year + 1}",
             f"{1 + i % 12:02d}/{1 + i % 28:02d}/{year}", "Open" if open_ else "Closed",
             f"{paid}.00", "0.00", "10.00", f"{reserve}.00", f"{paid + 10 + reserve}.00"]
        )  # fmt: skip
    return out.getvalue().encode()


@pytest.fixture
def bucket(tmp_path):
    server = s3.MotoServer(tmp_path / "moto.log")
    s3.create_bucket(server.url, "scale-drill")
    yield {
        "AWS_STORAGE_BUCKET_NAME": "scale-drill",
        "AWS_S3_ENDPOINT_URL": server.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    server.stop()


def machine(tmp_path, name: str, bucket: dict) -> dict:
    """A process's environment: the shared bucket, folders of its own."""
    (tmp_path / name / "tmp").mkdir(parents=True)
    return {
        **bucket,
        "DOCUMENT_ROOT": str(tmp_path / name / "documents"),
        "TMPDIR": str(tmp_path / name / "tmp"),
        "CELERY_VISIBILITY_TIMEOUT": VISIBILITY,
        "DRILL_SWEEP_EVERY": 3,
    }


def job(drill, job_id: int) -> dict:
    cols = ["status", "progress", "total_rows", "imported_count", "report_id", "message"]
    sql = f"SELECT {', '.join(cols)} FROM claims_importjob WHERE id = %s"  # noqa: S608
    rows = drill.db.rows(sql, [job_id])  # noqa: S608
    return dict(zip(cols, rows[0], strict=True))


def claims_of(drill, agency_id: int) -> tuple[int, int]:
    [(claims, reports)] = drill.db.rows(
        "SELECT (SELECT count(*) FROM claims_claim WHERE agency_id = %s),"
        " (SELECT count(*) FROM claims_lossrunreport WHERE agency_id = %s)",
        [agency_id, agency_id],
    )
    return claims, reports


def test_two_webs_two_workers_one_beat_share_only_database_broker_and_bucket(
    drill, bucket, tmp_path
):
    web1 = drill.web(name="web-1", **machine(tmp_path, "web-1", bucket))
    web2 = drill.web(name="web-2", **machine(tmp_path, "web-2", bucket))
    workers = {
        name: drill.worker(name, **machine(tmp_path, name, bucket))
        for name in ("worker-1", "worker-2")
    }
    drill.start(
        "beat",
        ["-m", "celery", "-A", "config", "beat", "--loglevel=INFO"]
        + ["--schedule", str(tmp_path / "beat-schedule")],
        **machine(tmp_path, "beat", bucket),
    )
    world = json.loads(drill.run(["-m", "tests.drills.claims_job", "setup"], **bucket))

    # Upload through web server 1 ...
    data = loss_run_csv(ROWS)
    one = WebSession(web1)
    one.sign_in(world["owner_email"], "correct-horse-battery")
    one.get(f"/vault/requests/{world['request_id']}/documents/")
    status, _ = one.post_file(
        f"/vault/requests/{world['request_id']}/documents/",
        {"kind": "loss_run"},
        "file",
        "carrier-loss-run.csv",
        data,
    )
    assert status == 200, status
    [(document_id, name)] = drill.db.rows(
        "SELECT id, file FROM vault_document WHERE request_id = %s", [world["request_id"]]
    )
    assert s3.client(bucket["AWS_S3_ENDPOINT_URL"]).head_object(Bucket="scale-drill", Key=name)
    assert not list(tmp_path.glob("*/documents/**/*.csv")), "a document reached a local folder"

    # ... download through web server 2 (same session: sessions live in the database).
    two = one.on(web2)
    status, body = two.get_bytes(f"/vault/documents/{document_id}/download/")
    assert status == 200 and body == data

    # The claims import of that file: its header read, then checked and imported on a worker.
    started = json.loads(
        drill.run(["-m", "tests.drills.claims_job", "start", str(document_id)], **bucket)
    )
    job_id = started["job_id"]

    progress_page = f"/claims/imports/{job_id}/progress/"
    seen: dict = {}

    def importing_worker():
        """The row the import has reached, as any web server's progress page shows it while
        the worker's transaction is still open."""
        current = job(drill, job_id)
        _, page = two.get(progress_page)
        reached = re.search(r"Row (\d+) of about", page)
        seen.update(current, page_row=reached and reached.group(1))
        if current["status"] != "importing" or not reached or int(reached.group(1)) < 2000:
            return None
        return next(
            (name for name, w in workers.items() if "claims.tasks.import_commit" in w.log()),
            None,
        )

    try:
        victim = wait_until(importing_worker, timeout=120, interval=0.05, what="the import to run")
    except AssertionError as exc:
        raise AssertionError(f"{exc} Last state of the job: {seen}") from None
    workers[victim].kill_group()
    workers[victim].popen.wait(10)
    killed_at = job(drill, job_id)
    assert killed_at["status"] == "importing", killed_at
    assert claims_of(drill, world["agency_id"]) == (0, 0), "a half-imported report"

    # The survivor takes the unacknowledged task over and imports every row, once.
    done = wait_until(
        lambda: job(drill, job_id)["status"] in ("done", "failed") and job(drill, job_id),
        timeout=VISIBILITY + 240,
        what="the retried import to finish",
    )
    assert done["status"] == "done", done
    assert done["imported_count"] == ROWS
    assert claims_of(drill, world["agency_id"]) == (ROWS, 1)
    survivor = next(w for name, w in workers.items() if name != victim)
    assert re.search(r"claims\.tasks\.import_commit\[[^\]]+\] succeeded", survivor.log())

    # Beat's sweeps ran on the workers; any web server reports them and the import.
    wait_until(
        lambda: drill.db.rows("SELECT count FROM ops_taskmetric WHERE name = 'sweep'"),
        timeout=60,
        what="a sweep on a worker",
    )
    status, text = two.get("/metrics")
    assert status == 200
    assert re.search(r"lossrun_sweep_duration_seconds_count [1-9]", text)
    assert 'lossrun_imports_running{status="importing"} 0.0' in text
