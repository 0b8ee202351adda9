import pytest

from tests.factories import DocumentFactory, LossRunRequestFactory
from vault.authorization import request_authorization_set
from vault.models import Authorization


@pytest.fixture(autouse=True)
def _inbound_address(settings):
    settings.INBOUND_EMAIL_ADDRESS = "lossruns@in.example.com"
    settings.SITE_URL = "https://app.example.com"


@pytest.fixture
def req(agency):
    """An open request whose 1st request went out (the tracker waits for the 2nd)."""
    request = LossRunRequestFactory(agency=agency, policies=["GL-1"])
    DocumentFactory(request=request)
    request_authorization_set(request=request, authorization=Authorization.SIGNED, reason="t")
    return request


@pytest.fixture
def sent(req, django_capture_on_commit_callbacks):
    """The 1st request e-mailed to the carrier through the outbox (its Message-ID is known)."""
    from dispatch.services import carrier_send_email

    with django_capture_on_commit_callbacks(execute=False):
        return carrier_send_email(agency=req.agency, request=req, user=None, kind="first")
