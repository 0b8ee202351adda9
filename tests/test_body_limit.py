"""Views that take no upload refuse big bodies before reading them; upload views still take files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

from tests.factories import LossRunRequestFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 1024


def _no_temp_files(monkeypatch) -> list:
    """Record every file part Django starts storing."""
    started = []
    original = TemporaryFileUploadHandler.new_file

    def new_file(self, *args, **kwargs):
        started.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", new_file)
    return started


def test_big_multipart_post_to_sign_in_is_refused_unread(client, settings, monkeypatch):
    started = _no_temp_files(monkeypatch)
    big = SimpleUploadedFile("x.bin", b"x" * (settings.REQUEST_BODY_MAX_BYTES + 1))
    response = client.post(reverse("login"), {"username": "a@b.test", "password": "x", "f": big})
    assert response.status_code == 413
    assert "That was too much to send to this page" in response.text
    assert "5.0\xa0MB" in response.text
    assert started == []


def test_declared_300_mb_is_refused_before_a_byte_is_read(client):
    response = client.post(
        reverse("accounts:signup"), {"agency_name": "x"}, CONTENT_LENGTH=str(300 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert "300.0\xa0MB" in response.text


def test_signed_in_form_without_upload_is_capped_too(owner_client, settings):
    big = SimpleUploadedFile("x.bin", b"x" * (settings.REQUEST_BODY_MAX_BYTES + 1))
    response = owner_client.post(reverse("accounts:settings"), {"name": "x", "f": big})
    assert response.status_code == 413


def test_normal_posts_pass(client, owner):
    response = client.post(
        reverse("login"), {"username": owner.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302


def test_upload_views_still_take_files_above_the_cap(owner_client, agency, settings):
    req = LossRunRequestFactory(agency=agency)
    data = PDF + b"0" * settings.REQUEST_BODY_MAX_BYTES
    response = owner_client.post(
        reverse("vault:document_upload", args=[req.pk]),
        {"kind": "other", "file": SimpleUploadedFile("big.pdf", data, "application/pdf")},
    )
    assert response.status_code == 302
    assert req.documents.get().size == len(data)
