import pytest

from claims import services, tasks
from claims.models import ImportJob
from tests.claims.factories import ImportJobFactory


def test_a_task_that_breaks_marks_the_import_failed_and_re_raises(agency, monkeypatch):
    job = ImportJobFactory(agency=agency, status=ImportJob.Status.READING)

    def broken(*, job):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(services, "import_job_read", broken)
    with pytest.raises(RuntimeError):
        tasks.import_read(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message == "The import stopped unexpectedly (RuntimeError)."


def test_tasks_ignore_jobs_not_in_their_state(agency, monkeypatch):
    job = ImportJobFactory(agency=agency, status=ImportJob.Status.DONE)
    called = []
    monkeypatch.setattr(services, "import_job_commit", lambda *, job: called.append(job))
    tasks.import_commit(job.pk)
    tasks.import_commit(999999)
    assert called == []
