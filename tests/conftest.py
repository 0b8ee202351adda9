import pytest
from django.core.cache import cache

from tests.factories import AgencyFactory, OwnerFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolated_document_root(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }
    settings.DOCUMENT_ROOT = str(tmp_path / "documents")


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
