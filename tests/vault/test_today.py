"""Today (issue 18): the Help Desk's state, stuck requests, the first-run checklist,
"My requests", and a query count that does not grow with the rows."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from helpdesk.models import Ticket
from tests.accounts.factories import InvitationFactory
from tests.factories import AgencyFactory, LossRunRequestFactory, UserFactory
from tests.helpdesk.factories import TicketFactory
from vault.models import LossRunRequest

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 13, 19, 0, tzinfo=dt.UTC)  # Thu 15:00 New York
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def make(agency, **fields):
    req = LossRunRequestFactory(agency=agency, created_at=fields.pop("created_at", NOW - 3 * DAY))
    if fields:
        LossRunRequest.objects.filter(pk=req.pk).update(**fields)
        req.refresh_from_db()
    return req


def past_second_request(agency, **fields):
    return make(
        agency,
        created_at=NOW - 30 * DAY,
        first_request_on=(NOW - 25 * DAY).date(),
        second_request_at=NOW - 3 * DAY,
        helpdesk_due_at=NOW - 2 * DAY,
        **fields,
    )


def ticket_on(req, status=Ticket.Status.IN_REVIEW, **fields):
    ticket = TicketFactory(request=req, status=status, **fields)
    LossRunRequest.objects.filter(pk=req.pk).update(helpdesk_open=ticket.is_open)
    return ticket


def _letterhead(agency):
    type(agency).objects.filter(pk=agency.pk).update(
        address="1 Main St\nAlbany, NY", phone="518-555-0100", calendar_confirmed_at=NOW
    )


# With the Help Desk ------------------------------------------------------------------------


def test_a_request_with_an_open_ticket_says_so_instead_of_submit_overdue(owner_client, agency):
    req = past_second_request(agency)
    ticket = ticket_on(req)
    html = owner_client.get(reverse("vault:today")).content.decode()
    assert f"With the Help Desk: ticket #{ticket.pk}, In review" in html
    assert "Submit to the Help Desk" not in html
    assert reverse("helpdesk:ticket_detail", kwargs={"ticket_id": ticket.pk}) in html


def test_without_a_ticket_the_request_is_due_for_the_help_desk_and_overdue(owner_client, agency):
    past_second_request(agency)
    html = owner_client.get(reverse("vault:today")).content.decode()
    assert "Due for the Help Desk" in html and "Submit to the Help Desk" in html
    assert "Overdue since Mar 11, 2025" in html
    assert "With the Help Desk: ticket" not in html


def test_the_help_desk_needs_you_heads_today_when_a_ticket_waits_on_the_agency(
    owner_client, agency
):
    waiting = ticket_on(
        past_second_request(agency),
        status=Ticket.Status.WAITING_ON_AGENCY,
        waiting_for="A current declarations page for GL-1",
    )
    ticket_on(past_second_request(agency))  # in review: nothing asked of the agency
    html = owner_client.get(reverse("vault:today")).content.decode()
    assert "The Help Desk needs you" in html
    assert html.index("The Help Desk needs you") < html.index('id="today-with-helpdesk"')
    assert f"Answer ticket #{waiting.pk}" in html and "A current declarations page" in html
    assert html.count("Answer ticket #") == 1


def test_no_help_desk_section_when_no_ticket_waits_on_the_agency(owner_client, agency):
    ticket_on(past_second_request(agency))
    html = owner_client.get(reverse("vault:today")).content.decode()
    assert "The Help Desk needs you" not in html


def test_another_agencys_ticket_waiting_on_it_is_not_shown(owner_client, agency):
    other = AgencyFactory()
    ticket_on(past_second_request(other), status=Ticket.Status.WAITING_ON_AGENCY)
    assert (
        "The Help Desk needs you" not in owner_client.get(reverse("vault:today")).content.decode()
    )


# A stuck request stays visibly overdue -----------------------------------------------------


def test_a_request_past_its_day5_reminder_without_a_1st_request_stays_overdue(owner_client, agency):
    # The day-5 reminder went out (no next notice), the 1st request never got its date.
    stuck = make(
        agency, created_at=NOW - 9 * DAY, first_request_due_at=NOW - 4 * DAY, next_due_at=None
    )
    html = owner_client.get(reverse("vault:today")).content.decode()
    assert "Overdue since Mar 9, 2025, 3:00 PM" in html
    vault = owner_client.get(reverse("vault:list")).content.decode()
    assert f'id="req-{stuck.pk}"' in vault and "Overdue since Mar 9, 2025, 3:00 PM" in vault


def test_a_fresh_request_is_due_not_overdue(owner_client, agency):
    make(agency, created_at=NOW - DAY, first_request_due_at=NOW + 4 * DAY)
    html = owner_client.get(reverse("vault:today")).content.decode()
    assert "Due Mar 17, 2025, 3:00 PM" in html and "Overdue since" not in html


# First run ---------------------------------------------------------------------------------


def test_a_new_agency_gets_the_checklist_and_no_everything_is_waiting_sentence(
    owner_client, agency
):
    html = owner_client.get(reverse("vault:today")).content.decode()
    assert "Get started" in html
    for step in ("Your letterhead", "Your team", "Your first request", "Your calendar"):
        assert step in html
    assert "waiting on its carrier" not in html
    assert "Nothing needs your action today" not in html


def test_the_checklist_marks_done_steps_and_disappears_when_all_are_done(
    owner_client, agency, owner
):
    _letterhead(agency)
    html = owner_client.get(reverse("vault:today")).content.decode()
    assert "Get started" in html and html.count("badge-ok") == 2  # letterhead, calendar
    make(agency, received_on=(NOW - DAY).date())
    InvitationFactory(agency=agency, invited_by=owner)
    html = owner_client.get(reverse("vault:today")).content.decode()
    assert "Get started" not in html
    assert "Nothing needs your action today" in html


def test_saving_the_settings_page_confirms_the_calendar(owner_client, agency):
    from accounts.forms import AgencySettingsForm

    form = AgencySettingsForm(instance=agency)
    data = {name: form[name].value() or "" for name in form.fields}
    assert owner_client.post(reverse("accounts:settings"), data).status_code == 302
    agency.refresh_from_db()
    assert agency.calendar_confirmed_at is not None


# My requests -------------------------------------------------------------------------------


def test_my_requests_shows_only_the_signed_in_agents(owner_client, agency, owner):
    mine = make(agency, created_by=owner, owner=owner, authorization="signed")
    theirs = make(agency, authorization="signed")
    everyone = owner_client.get(reverse("vault:today")).content.decode()
    assert mine.insured.legal_name in everyone and theirs.insured.legal_name in everyone
    only_mine = owner_client.get(reverse("vault:today"), {"mine": "1"}).content.decode()
    assert mine.insured.legal_name in only_mine and theirs.insured.legal_name not in only_mine
    assert 'aria-current="page">My requests' in only_mine


@pytest.mark.parametrize("n", [1, 6])
def test_today_query_count_does_not_grow_with_rows(
    owner_client, agency, django_assert_num_queries, n
):
    _letterhead(agency)
    UserFactory(agency=agency)
    for _ in range(n):
        make(agency)
        make(agency, first_request_on=dt.date(2025, 2, 20), second_request_due_at=NOW - DAY)
        ticket_on(past_second_request(agency), status=Ticket.Status.WAITING_ON_AGENCY)
    # session, user with its agency; the status counts (one query); 3 sections (drafts, 2nd due,
    # with the Help Desk) + its open tickets; past statutory; waiting tickets + their requests; team.
    with django_assert_num_queries(11):
        owner_client.get(reverse("vault:today"))


def test_only_a_due_2nd_request_offers_its_letter(owner_client, agency):
    due = make(agency, first_request_on=dt.date(2025, 2, 20), second_request_due_at=NOW - DAY)
    draft = make(agency)
    html = owner_client.get(reverse("vault:today")).content.decode()
    letter = reverse("vault:second_request_letter", kwargs={"request_id": due.pk})
    assert f'href="{letter}">Print the 2nd-request letter</a>' in html
    assert html.count("Print the 2nd-request letter") == 1
    assert reverse("vault:second_request_letter", kwargs={"request_id": draft.pk}) not in html


def test_a_section_shows_its_ten_most_overdue_and_links_to_all(owner_client, agency):
    """Today is read at a glance: ten rows a section, most overdue first, and "See all N"
    opens the vault filtered to that status."""
    due = [
        make(
            agency,
            first_request_on=dt.date(2025, 2, 20),
            second_request_due_at=NOW - (i + 1) * dt.timedelta(hours=1),
        )
        for i in range(12)
    ]
    html = owner_client.get(reverse("vault:today")).content.decode()
    shown = [r for r in due if f'href="{reverse("vault:request_edit", args=[r.pk])}"' in html]
    assert shown == due[2:]  # the ten most overdue; the two least overdue wait in the vault
    assert f'{reverse("vault:list")}?status=second_due">See all 12</a>' in html
