import os
import uuid

import pytest
from django.core.cache import cache

from tests import s3
from tests.factories import AgencyFactory, OwnerFactory, UserFactory


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """The S3 server's URL: TEST_S3_ENDPOINT_URL's, or a moto server started for this run."""
    url = os.environ.get("TEST_S3_ENDPOINT_URL")
    if url:
        yield url
        return
    server = s3.MotoServer(tmp_path_factory.mktemp("moto") / "moto.log")
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def s3_bucket(s3_endpoint):
    name = f"test-documents-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(s3_endpoint, name)
    return name


@pytest.fixture(autouse=True)
def _isolated_document_storage(settings, tmp_path, request):
    """Every test stores documents of its own: a temporary folder, or with TEST_S3=1 a key
    prefix of its own in the S3 server's bucket."""
    settings.DOCUMENT_ROOT = str(tmp_path / "documents")
    if s3.TEST_S3:
        default = s3.storage_config(
            request.getfixturevalue("s3_endpoint"),
            request.getfixturevalue("s3_bucket"),
            location=f"t-{uuid.uuid4().hex}",
        )
    else:
        default = {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": settings.DOCUMENT_ROOT},
        }
    settings.STORAGES = {**settings.STORAGES, "default": default}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the (process-wide) cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agency(db):
    return AgencyFactory()


@pytest.fixture
def other_agency(db):
    return AgencyFactory()


@pytest.fixture
def owner(agency):
    return OwnerFactory(agency=agency)


@pytest.fixture
def member(agency):
    return UserFactory(agency=agency)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client
