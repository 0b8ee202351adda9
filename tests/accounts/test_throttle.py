"""Sign-in lockout counts one person under one key and one client under its real address."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.throttle import client_ip
from tests.factories import StaffFactory

WRONG = "nope-nope-nope"
RIGHT = "correct-horse-battery"
PROXY = "10.0.0.5"


def _case_variants(email: str, n: int) -> list[str]:
    """n different spellings of the address: one more letter upper-cased each time."""
    local, domain = email.split("@")
    return [local[:i].upper() + local[i:] + "@" + domain.upper() for i in range(1, n + 1)]


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


@pytest.mark.django_db
def test_changing_the_case_of_the_email_does_not_give_fresh_attempts(client, axes_on, owner):
    owner.email = "newbie@agency.test"
    owner.save()
    for spelling in _case_variants(owner.email, axes_on.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": spelling, "password": WRONG})
    response = client.post(reverse("login"), {"username": "NEWBIE@Agency.test", "password": RIGHT})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().username == "newbie@agency.test"


@pytest.mark.django_db
def test_sign_in_ignores_the_case_and_spaces_of_the_email(client, owner):
    response = client.post(
        reverse("login"), {"username": f"  {owner.email.upper()} ", "password": RIGHT}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


@pytest.mark.django_db
def test_admin_sign_in_counts_every_spelling_together(axes_on):
    staff = StaffFactory(email="staffer@platform.test")
    client = Client()
    for spelling in _case_variants(staff.email, axes_on.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": spelling, "password": WRONG})
    response = client.post(
        reverse("admin:login"), {"username": "Staffer@Platform.Test", "password": RIGHT}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# --- the client's address ---------------------------------------------------------------


def _fail(client: Client, email: str, n: int, **meta) -> None:
    for _ in range(n):
        client.post(reverse("login"), {"username": email, "password": WRONG}, **meta)


@pytest.mark.django_db
def test_direct_forged_forwarded_for_does_not_give_fresh_attempts(client, axes_on, owner):
    """Without a trusted proxy, X-Forwarded-For is the client's own text and is ignored."""
    for n in range(axes_on.AXES_FAILURE_LIMIT):
        _fail(client, owner.email, 1, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = client.post(
        reverse("login"),
        {"username": owner.email, "password": RIGHT},
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@pytest.mark.django_db
def test_behind_the_proxy_each_client_has_its_own_counter(client, axes_on, owner):
    axes_on.TRUSTED_PROXIES = ["10.0.0.0/24"]
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    _fail(client, owner.email, axes_on.AXES_FAILURE_LIMIT, **attacker)
    locked = client.post(reverse("login"), {"username": owner.email, "password": RIGHT}, **attacker)
    assert locked.status_code == 429

    owner_browser = Client()
    response = owner_browser.post(
        reverse("login"),
        {"username": owner.email, "password": RIGHT},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


@pytest.mark.django_db
def test_behind_the_proxy_a_forged_left_part_does_not_escape_the_lock(client, axes_on, owner):
    axes_on.TRUSTED_PROXIES = [PROXY]
    for n in range(axes_on.AXES_FAILURE_LIMIT):
        # the proxy appends the real address; whatever the client sent stays on the left
        _fail(
            client,
            owner.email,
            1,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
        )
    response = client.post(
        reverse("login"),
        {"username": owner.email, "password": RIGHT},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.7", "", "203.0.113.7"),  # direct
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # direct, forged header ignored
        (PROXY, "198.51.100.1", "198.51.100.1"),  # through the proxy
        (PROXY, "1.1.1.1, 198.51.100.1", "198.51.100.1"),  # forged left part ignored
        (PROXY, "198.51.100.1, 10.0.0.9", "198.51.100.1"),  # two proxies of ours
        (PROXY, "", PROXY),  # the proxy itself (health checks)
        (PROXY, "garbage", PROXY),  # a proxy that wrote nonsense is not believed
        (PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_without_trusted_proxies_the_header_never_counts(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == PROXY
