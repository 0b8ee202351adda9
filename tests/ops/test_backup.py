"""backup()/restore() in-process: the manifest, a document missing from the storage, and a
damaged or unsafe backup refused before anything changes. (The whole round trip on real
processes is tests/ops/test_restore_drill.py.)"""

import hashlib
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ops.backup import BackupError, backup, restore
from tests.vault.test_documents_helpers import PDF
from vault.documents import document_create
from vault.models import Document

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def document(agency, owner):
    return document_create(
        agency=agency, uploaded_by=owner, uploaded_file=ContentFile(PDF, name="a.pdf"), kind="other"
    )


def test_manifest_lists_every_document_with_its_hash_and_every_table(tmp_path, document):
    report = backup(tmp_path / "b")
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["tables"]["vault_document"] == 1
    assert manifest["tables"]["accounts_agency"] == 1
    [entry] = manifest["documents"]
    assert entry == {
        "name": document.file.name,
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "size": len(PDF),
    }
    assert (tmp_path / "b" / "documents" / document.file.name).read_bytes() == PDF
    assert report.problems == [] and report.documents == 1


def test_a_document_missing_from_the_storage_is_reported(tmp_path, document):
    default_storage.delete(document.file.name)
    report = backup(tmp_path / "b")
    assert report.problems == [
        f"{document.file.name}: in the database but missing from the storage"
    ]


def test_a_stored_file_that_differs_from_its_upload_hash_is_reported(tmp_path, document):
    Document.objects.filter(pk=document.pk).update(sha256="0" * 64)
    report = backup(tmp_path / "b")
    assert "differ from the hash recorded at upload" in report.problems[0]


def test_restore_refuses_a_non_empty_target_and_an_unsafe_or_damaged_backup(tmp_path, document):
    backup(tmp_path / "b")
    with pytest.raises(BackupError, match="not empty"):
        restore(tmp_path / "b")
    manifest_path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["documents"][0]["name"] = "../../etc/passwd"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="unsafe"):
        restore(tmp_path / "b", force=True)
    with pytest.raises(BackupError, match="no manifest.json"):
        restore(tmp_path / "nothing-here")
    assert Document.objects.count() == 1


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "old").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        backup(tmp_path / "b")
