"""Two commits of the same bulk upload at once, on PostgreSQL: one import, and the second
gets BulkAlreadyImported (the row lock makes it wait, then it finds the file gone).

Run with DATABASE_URL=postgres://... (skipped on SQLite, which has no concurrent writers).
"""

import pytest
from django.db import connection

from tests.tracker.test_concurrency import run_in_threads
from tests.vault.test_bulk import GOOD, carriers, store  # noqa: F401 - carriers is a fixture
from vault import bulk
from vault.models import Document, LossRunRequest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.mark.usefixtures("carriers")
def test_two_concurrent_commits_import_once(agency, owner):
    doc = store(agency, owner, GOOD)

    def commit(i):
        document = Document.objects.get(pk=doc.pk)
        try:
            return len(bulk.bulk_commit(agency=agency, user=owner, document=document))
        except bulk.BulkAlreadyImported as exc:
            return str(exc)

    results = run_in_threads(commit)
    assert 3 in results
    assert any(isinstance(r, str) and "was already imported" in r for r in results), results
    assert LossRunRequest.objects.filter(agency=agency).count() == 3
