"""The weekly digest's one-click unsubscribe (RFC 8058): a signed link that needs no
sign-in, confirms on GET, unsubscribes on POST once and idempotently, names one agent."""

import datetime as dt

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from tests.factories import AgencyFactory, UserFactory
from tests.tracker.test_digest import MONDAY_8AM, _digests, _overdue
from tracker import digest, unsubscribe
from tracker.models import WeeklyDigest

pytestmark = pytest.mark.django_db
WEEK = dt.timedelta(days=7)


@pytest.fixture
def agent(db):
    return UserFactory(agency=AgencyFactory(), full_name="Pat Agent")


@pytest.fixture
def sent(agent, settings, django_capture_on_commit_callbacks):
    """The agent's digest of the week, delivered (the outbox task runs on commit)."""
    settings.SITE_URL = "https://app.example.com"
    _overdue(agent)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digests_send(now=MONDAY_8AM + dt.timedelta(minutes=1)).sent == 1
    return WeeklyDigest.objects.get(user=agent)


def url_of(row: WeeklyDigest) -> str:
    return reverse(
        "tracker:digest_unsubscribe",
        kwargs={"unsubscribe_token": unsubscribe.unsubscribe_token(row)},
    )


def one_click(url: str):
    """What a mail provider sends: no session, no CSRF cookie (CSRF checks enforced)."""
    return Client(enforce_csrf_checks=True).post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )


def test_the_digest_carries_the_one_click_headers_and_the_link(sent):
    link = "https://app.example.com" + url_of(sent)
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
    email = sent.email
    assert f"Unsubscribe (no sign-in needed): {link}" in email.text_body
    assert f'<a href="{link}">Unsubscribe</a>' in email.html_body


def test_no_header_over_plain_http_but_the_link_is_in_the_body(agent, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    _overdue(agent)
    digest.digests_send(now=MONDAY_8AM + dt.timedelta(minutes=1))
    email = _digests(agent).get()
    assert "List-Unsubscribe" not in email.headers
    assert "List-Unsubscribe-Post" not in email.headers
    row = WeeklyDigest.objects.get(user=agent)
    assert f"http://127.0.0.1:8000{url_of(row)}" in email.text_body


def test_get_only_asks_so_a_link_scanner_unsubscribes_nobody(sent, agent, client):
    page = client.get(url_of(sent))
    html = page.content.decode()
    assert page.status_code == 200 and "Stop the weekly digest?" in html
    assert '<form method="post">' in html and f"Unsubscribe {agent.email}</button>" in html
    assert client.head(url_of(sent)).status_code == 200
    agent.refresh_from_db()
    sent.refresh_from_db()
    assert agent.weekly_digest is True and sent.unsubscribed_at is None


def test_one_click_post_unsubscribes_without_sign_in_and_stops_next_weeks_digest(sent, agent):
    at = MONDAY_8AM + dt.timedelta(hours=3)
    with time_machine.travel(at, tick=False):
        response = one_click(url_of(sent))
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    agent.refresh_from_db()
    sent.refresh_from_db()
    assert agent.weekly_digest is False and agent.digest_unsubscribed_at == at
    assert sent.unsubscribed_at == at
    assert digest.digests_send(now=MONDAY_8AM + WEEK).sent == 0
    assert _digests(agent).count() == 1


def test_a_repeated_post_changes_nothing_and_says_the_digest_is_off(sent, agent):
    first = MONDAY_8AM + dt.timedelta(hours=3)
    with time_machine.travel(first, tick=False):
        one_click(url_of(sent))
    with time_machine.travel(first + dt.timedelta(hours=1), tick=False):
        again = one_click(url_of(sent))
        page = Client().get(url_of(sent))
    assert again.status_code == 200 and "You are unsubscribed" in again.content.decode()
    assert "You are already unsubscribed" in page.content.decode()
    sent.refresh_from_db()
    agent.refresh_from_db()
    assert sent.unsubscribed_at == first and agent.digest_unsubscribed_at == first


def test_a_used_link_does_not_unsubscribe_again_after_the_agent_turned_it_back_on(
    sent, agent, client
):
    one_click(url_of(sent))
    client.force_login(agent)
    client.post(reverse("accounts:digest_preference"), {"weekly_digest": "on"})
    agent.refresh_from_db()
    assert agent.weekly_digest is True and agent.digest_unsubscribed_at is None
    response = one_click(url_of(sent))
    assert response.status_code == 200
    assert "This link was already used" in response.content.decode()
    agent.refresh_from_db()
    assert agent.weekly_digest is True
    # The next digest's own link works.
    digest.digests_send(now=MONDAY_8AM + WEEK)
    newer = WeeklyDigest.objects.get(user=agent, week_of=(MONDAY_8AM + WEEK).date())
    one_click(url_of(newer))
    agent.refresh_from_db()
    assert agent.weekly_digest is False


def _forged(payload) -> str:
    return signing.Signer(salt=unsubscribe.SALT).sign_object(payload)


def test_a_tampered_or_foreign_token_gets_a_clear_400_and_changes_nothing(sent, agent, client):
    colleague = UserFactory(agency=agent.agency)
    token = unsubscribe.unsubscribe_token(sent)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    tokens = [
        flipped,
        token.replace(":", "x", 1),
        "not-a-token",
        _forged({"d": sent.pk, "u": colleague.pk}),  # signed, but names another agent
        _forged({"d": sent.pk + 999, "u": agent.pk}),  # a row that does not exist
        _forged({"d": "1", "u": agent.pk}),
        _forged([sent.pk, agent.pk]),
    ]
    for bad in tokens:
        url = reverse("tracker:digest_unsubscribe", kwargs={"unsubscribe_token": bad})
        for response in (client.get(url), one_click(url)):
            assert response.status_code == 400, bad
            assert "This unsubscribe link is not valid" in response.content.decode()
    agent.refresh_from_db()
    colleague.refresh_from_db()
    assert agent.weekly_digest is True and colleague.weekly_digest is True


def test_the_token_names_one_agent(sent, agent):
    colleague = UserFactory(agency=agent.agency)
    assert unsubscribe.digest_from_token(unsubscribe.unsubscribe_token(sent)) == sent
    one_click(url_of(sent))
    colleague.refresh_from_db()
    assert colleague.weekly_digest is True


def test_the_team_page_says_how_the_digest_went_off(sent, agent, client):
    client.force_login(agent)
    team = reverse("accounts:team")
    assert "On: the digest comes every Monday" in client.get(team).content.decode()
    with time_machine.travel(dt.datetime(2025, 3, 10, 15, 0, tzinfo=dt.UTC), tick=False):
        one_click(url_of(sent))
    html = client.get(team).content.decode()
    assert "Off: you unsubscribed with the link in a digest e-mail on Mar 10, 2025" in html
    assert 'name="weekly_digest" checked' not in html
    client.post(reverse("accounts:digest_preference"), {"weekly_digest": "on"})
    client.post(reverse("accounts:digest_preference"), {})
    assert "Off: you turned it off here." in client.get(team).content.decode()
