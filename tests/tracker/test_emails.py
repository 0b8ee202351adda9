import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import resolve, reverse

from outbox.delivery import email_deliver
from tests.factories import UserFactory
from tracker.models import Notification
from tracker.notices import notice_recipients
from tracker.services import sweep
from tracker.timeline import DAY2, HELPDESK_DUE, SECOND_REQUEST_DUE, SECOND_REQUEST_REMINDER

NY = ZoneInfo("America/New_York")


def at(*args):
    return dt.datetime(*args, tzinfo=NY)


def send_due(req, now):
    sweep(now=now)
    notice = Notification.objects.filter(
        request=req, status=Notification.Status.QUEUED, email__status="pending"
    ).get()
    assert email_deliver(email_id=notice.email_id, now=now) == "sent"
    return notice, mail.outbox[-1]


def recipients(req):
    return notice_recipients(Notification(request=req))


def html_of(message):
    return next(body for body, mime in message.alternatives if mime == "text/html")


def test_first_request_reminder_content_and_link(make_request):
    req = make_request(created_at=at(2026, 3, 2, 10, 0))
    notice, msg = send_due(req, at(2026, 3, 4, 8, 0))
    assert notice.milestone == DAY2
    assert (
        msg.subject
        == f"[Acme & Sons Agency] Enter the 1st request date: {req.insured} / {req.carrier}"
    )
    edit = "http://testserver" + reverse("vault:request_edit", args=[req.pk])
    # The link lands on the request page's next-step card with the 1st-request date focused.
    card = f"{edit}?focus=first_request_on#next-step"
    assert card in msg.body and f'href="{card}"' in html_of(msg)
    assert "Acme & Sons Agency" in msg.body  # plain text is not HTML-escaped
    assert "Acme &amp; Sons Agency" in html_of(msg)
    assert "Monday, Mar 2, 2026" in msg.body
    assert "second_request_letter" not in msg.body and "helpdesk" not in msg.body
    assert msg.extra_headers["Message-ID"] == notice.email.message_id
    assert notice.email.message_id.startswith("<") and notice.email.message_id.endswith(
        "@testserver>"
    )


@pytest.mark.parametrize(
    "first,now,milestone",
    [
        (dt.date(2026, 3, 2), at(2026, 3, 16, 8, 0), SECOND_REQUEST_DUE),
        (dt.date(2026, 3, 2), at(2026, 3, 18, 8, 0), SECOND_REQUEST_REMINDER),
    ],
)
def test_second_request_notices_link_the_letter_and_the_form(make_request, first, now, milestone):
    req = make_request(created_at=at(2026, 2, 27, 10, 0), first=first)
    if milestone == SECOND_REQUEST_REMINDER:
        send_due(req, at(2026, 3, 16, 8, 0))
    notice, msg = send_due(req, now)
    assert notice.milestone == milestone
    letter = "http://testserver" + reverse("vault:second_request_letter", args=[req.pk])
    edit = "http://testserver" + reverse("vault:request_edit", args=[req.pk])
    edit += "?focus=second_request_at#next-step"
    for body in (msg.body, html_of(msg)):
        assert letter in body and edit in body
        assert "no signature" in body
        assert "helpdesk" not in body.lower().replace("help desk", "")
    assert "Mar 2, 2026" in msg.body


def test_helpdesk_notice_links_the_submission_form_with_local_times(make_request):
    req = make_request(
        created_at=at(2026, 2, 27, 10, 0), first=dt.date(2026, 3, 2), second=at(2026, 3, 13, 15, 0)
    )
    notice, msg = send_due(req, at(2026, 3, 16, 8, 0))
    assert notice.milestone == HELPDESK_DUE
    submit = "http://testserver" + reverse("helpdesk:submit", args=[req.pk])
    assert submit in msg.body and f'href="{submit}"' in html_of(msg)
    assert "Friday, Mar 13, 2026, 3:00 PM EDT" in msg.body
    # The 24 hours ran out on Saturday; the notice waited for Monday morning.
    assert "Its 24 hours ran out on Saturday, Mar 14, 2026, 3:00 PM EDT" in msg.body
    assert "business hours" not in msg.body
    assert "proof of carrier" in msg.body
    assert msg.subject.startswith("[Acme & Sons Agency] Hand over to the Help Desk")


def test_links_carry_no_credentials(make_request):
    req = make_request(created_at=at(2026, 3, 2, 10, 0))
    _, msg = send_due(req, at(2026, 3, 4, 8, 0))
    link = msg.body.split("http://testserver")[1].split()[0]
    # The only query is the field to focus on the next-step card: nothing that signs in.
    assert "token" not in msg.body and link.split("?", 1)[1] == "focus=first_request_on#next-step"


def test_recipients_owner_and_copy_addresses_deduplicated(make_request, ny_agency):
    owner = UserFactory(agency=ny_agency, email="desk@acme.test")
    req = make_request(created_at=at(2026, 3, 2, 10, 0), owner=owner)
    assert recipients(req) == ["desk@acme.test", "Boss@Acme.test"]
    _, msg = send_due(req, at(2026, 3, 4, 8, 0))
    assert msg.to == ["desk@acme.test", "Boss@Acme.test"]


def test_inactive_owner_is_left_out(make_request, ny_agency):
    owner = UserFactory(agency=ny_agency, email="gone@acme.test", is_active=False)
    req = make_request(created_at=at(2026, 3, 2, 10, 0), owner=owner)
    assert recipients(req) == ["desk@acme.test", "Boss@Acme.test"]


def test_without_owner_or_copies_the_agency_owners_get_it(make_request, ny_agency):
    from accounts.models import User

    ny_agency.copy_addresses = ""
    ny_agency.save()
    boss = UserFactory(agency=ny_agency, email="boss@acme.test", role=User.Role.OWNER)
    owner = UserFactory(agency=ny_agency, email="gone@acme.test", is_active=False)
    req = make_request(created_at=at(2026, 3, 2, 10, 0), owner=owner)
    assert recipients(req) == [boss.email]
    boss.is_active = False
    boss.save()
    ny_agency.email = ""
    ny_agency.save()
    req.refresh_from_db()
    assert recipients(req) == []
    sweep(now=at(2026, 3, 4, 8, 0))
    notice = Notification.objects.get(request=req)
    assert notice.status == Notification.Status.CANCELLED and notice.email is None
    assert "No recipient" in notice.last_error


def test_link_paths_open_the_form_after_sign_in(make_request, client):
    req = make_request(created_at=at(2026, 3, 2, 10, 0))
    _, msg = send_due(req, at(2026, 3, 4, 8, 0))
    link = msg.body.split("http://testserver", 1)[1].split()[0]
    path, query = link.split("#", 1)[0].split("?", 1)
    assert resolve(path).url_name == "request_edit" and query == "focus=first_request_on"
    response = client.get(f"{path}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={path}%3F{query.replace('=', '%3D')}"
    client.force_login(req.created_by)
    page = client.get(f"{path}?{query}")
    assert page.status_code == 200
    assert 'id="next-step"' in page.text
    assert 'name="first_request_on"' in page.text and "autofocus" in page.text


def test_real_views_serve_the_link_names_behind_sign_in(client):
    for name in ("vault:request_edit", "vault:second_request_letter", "helpdesk:submit"):
        path = reverse(name, args=[1])
        response = client.get(path)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name
