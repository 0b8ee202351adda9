import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Agency, User
from demo.data import DEMO_PASSWORD, seed_demo
from vault.models import LossRunRequest
from vault.status import Status, request_status

pytestmark = pytest.mark.django_db


def test_demo_has_two_agencies_and_every_stage_of_the_timeline():
    assert seed_demo() is True
    assert Agency.objects.count() == 2
    now = timezone.now()
    for agency in Agency.objects.all():
        statuses = {request_status(r, now) for r in LossRunRequest.objects.for_agency(agency)}
        assert statuses == set(Status.LABELS), agency
    from helpdesk.models import Ticket
    from vault.models import Document

    ticket = Ticket.objects.get(request__agency__slug="harbor-pine")
    assert ticket.status == Ticket.Status.IN_REVIEW and ticket.assignee.is_staff
    assert Document.objects.filter(kind=Document.Kind.AUTH_SIGNED).exists()
    from dispatch.models import CarrierSend
    from esign.models import SignatureRequest
    from outbox.models import Email

    pending = SignatureRequest.objects.get(request__agency__slug="harbor-pine", status="pending")
    assert Email.objects.filter(kind="esign.link", to=[pending.signer_email]).exists()
    sent = CarrierSend.objects.get(request__agency__slug="harbor-pine", method="email")
    assert sent.email.reply_to == [sent.reply_to] and sent.documents.count() == 2
    from claims.models import Claim

    assert Claim.objects.filter(agency__slug="harbor-pine").count() == 5
    owner = User.objects.get(email="owner@harborpine.demo")
    assert owner.check_password(DEMO_PASSWORD)
    assert User.objects.get(email="staff@lossrun.demo").agency is None


@pytest.mark.parametrize("day", [0, 2, 3, 5, 6])  # every branch: Mon-Wed, Thu-Sat, Sun
def test_demo_shows_a_reminder_waiting_over_a_weekend(day):
    import datetime as dt

    import time_machine

    from tracker.calendar import calendar_for_agency
    from tracker.schedule import request_milestones

    # Any weekday of a week without holidays: Monday 2026-03-16 + day, 07:00 in New York.
    now = dt.datetime(2026, 3, 16, 11, 0, tzinfo=dt.UTC) + dt.timedelta(days=day)
    with time_machine.travel(now, tick=False):
        assert seed_demo(now=now) is True
    agency = Agency.objects.get(slug="harbor-pine")
    req = LossRunRequest.objects.get(agency=agency, insured__legal_name__contains="Bookshop")
    created = req.created_at.astimezone(agency.tz).date()
    days = {"first_request_reminder_day2": 2, "first_request_reminder_day5": 5}
    waiting = []
    for m in request_milestones(req):
        day = created + dt.timedelta(days=days[m.kind])
        due = m.due_at.astimezone(agency.tz)
        if day.weekday() >= 5 and due > now:
            waiting.append((day, due))
    assert len(waiting) == 1, (created, waiting)
    ((day, due),) = waiting
    assert due.time() == agency.notify_time and due.weekday() == 0  # the Monday after
    assert (due.date() - day).days in (1, 2)
    assert calendar_for_agency(agency).is_business_day(due.date())
    assert req.next_due_at is not None and req.next_due_at <= due
    assert "waits for the notify time" in req.notes


def test_demo_is_loaded_once():
    assert seed_demo() is True
    assert seed_demo() is False
    assert Agency.objects.count() == 2


def test_demo_refused_outside_demo_settings(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="only for the embedded"):
        call_command("seed_demo")
    assert not Agency.objects.exists()


def test_production_settings_never_allow_demo_data(monkeypatch):
    import importlib
    import sys

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "example.com")
    monkeypatch.setenv("CACHE_URL", "redis://localhost:6379/1")
    sys.modules.pop("config.settings.production", None)
    production = importlib.import_module("config.settings.production")
    assert production.DEMO_DATA_ALLOWED is False
    assert production.DEBUG is False


def test_production_settings_require_a_secret_key(monkeypatch):
    import importlib
    import sys

    import environ

    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "example.com")
    for name in ("config.settings.production", "config.settings.base"):
        sys.modules.pop(name, None)
    with pytest.raises(environ.ImproperlyConfigured):
        importlib.import_module("config.settings.production")
    for name in ("config.settings.production", "config.settings.base"):
        sys.modules.pop(name, None)


def test_demo_shows_statutory_deadlines_a_kit_and_carrier_figures():
    from escalation import kit
    from escalation.models import EscalationKit
    from escalation.performance import agency_carrier_figures, platform_carrier_figures
    from vault.derived import request_deadline

    seed_demo()
    harbor = Agency.objects.get(slug="harbor-pine")
    states = set(
        LossRunRequest.objects.for_agency(harbor).values_list("governing_state", flat=True)
    )
    assert {"FL", "NY", "CA", "OH", "IL"} <= states
    marina = LossRunRequest.objects.get(agency=harbor, insured__legal_name__contains="Marina")
    assert marina.governing_state == "FL" and marina.statutory_due_on is not None
    assert marina.statutory_due_on == marina.first_request_on + dt.timedelta(days=15)
    late = kit.kit_request_get(agency=harbor, request_id=marina.pk)
    assert kit.kit_available(late) and late.helpdesk_tickets.exists()
    assert kit.kit_letter_pdf(request=late).startswith(b"%PDF-")
    sent = EscalationKit.objects.get(request=marina)
    assert sent.due_on == marina.statutory_due_on and sent.email is not None
    assert sent.ticket_id == late.helpdesk_tickets.get().pk
    dental = LossRunRequest.objects.get(agency=harbor, insured__legal_name__contains="Dental")
    assert "applies only when" in request_deadline(dental).sentence
    plumbing = LossRunRequest.objects.get(agency=harbor, insured__legal_name__contains="Plumbing")
    assert request_deadline(plumbing).sentence == "No statute on file for Ohio."
    mine = agency_carrier_figures(agency=harbor)
    platform = platform_carrier_figures()
    assert len(mine) == 4 and all(f.median_days for f in mine.values())
    assert 1 <= len(platform) < 4  # the carrier only Harbor & Pine uses shows no platform figure
