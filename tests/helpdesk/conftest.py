import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import DocumentFactory, LossRunRequestFactory, StaffFactory
from tests.helpdesk.factories import CommonMistakeFactory, TicketFactory
from vault.models import Document


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff@helpdesk.test", full_name="Sam Staff")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def overdue_request(agency, member):
    """A request whose carrier ignored the first and the second request (help desk due)."""
    now = timezone.now()
    req = LossRunRequestFactory(
        agency=agency,
        created_by=member,
        created_at=now - dt.timedelta(days=40),
        first_request_on=(now - dt.timedelta(days=30)).date(),
        second_request_at=now - dt.timedelta(days=5),
        policies=["GL-123", "AU-456"],
    )
    return req


@pytest.fixture
def signed_doc(overdue_request):
    return DocumentFactory(request=overdue_request, kind=Document.Kind.AUTH_SIGNED)


@pytest.fixture
def proof_doc(overdue_request):
    return DocumentFactory(
        request=overdue_request, kind=Document.Kind.PROOF_DEC_PAGE, original_name="dec.pdf"
    )


@pytest.fixture
def mistakes(db):
    return [
        CommonMistakeFactory(title="Wrong policy number"),
        CommonMistakeFactory(title="Unsigned authorization"),
    ]


@pytest.fixture
def ticket(overdue_request, member):
    return TicketFactory(request=overdue_request, submitted_by=member)
