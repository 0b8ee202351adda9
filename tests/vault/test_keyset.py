"""Keyset pages of the vault: first, newer, older and last, under filters and search; every
page costs the queries of the first; a cursor that is not one is the first page."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import LossRunRequestFactory
from vault import selectors
from vault.keyset import Cursor
from vault.models import Insured, LossRunRequest

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 13, 19, 0, tzinfo=dt.UTC)


def make_many(agency, n, **fields):
    reqs = [LossRunRequestFactory(agency=agency) for _ in range(n)]
    for i, req in enumerate(reqs):
        # Pairs share a created_at so ties are broken by id, as the index orders them.
        LossRunRequest.objects.filter(pk=req.pk).update(
            created_at=NOW - dt.timedelta(minutes=i // 2), **fields
        )
    return list(
        LossRunRequest.objects.filter(pk__in=[r.pk for r in reqs]).order_by("-created_at", "-id")
    )


def ids(page):
    return [r.req.pk for r in page.rows]


def walk(agency, **filters):
    """Every page from the first by "older", then back by "newer": the ids seen each way."""
    pages = [selectors.request_page(agency=agency, now=NOW, per_page=3, **filters)]
    while pages[-1].has_next:
        pages.append(
            selectors.request_page(
                agency=agency, now=NOW, per_page=3, after=pages[-1].next_cursor, **filters
            )
        )
    back = [pages[-1]]
    while back[-1].has_previous:
        back.append(
            selectors.request_page(
                agency=agency, now=NOW, per_page=3, before=back[-1].previous_cursor, **filters
            )
        )
    return pages, back


def test_older_then_newer_visits_every_row_once_in_order_with_ties(agency):
    reqs = make_many(agency, 10)
    pages, back = walk(agency)
    assert [pk for p in pages for pk in ids(p)] == [r.pk for r in reqs]
    assert [ids(p) for p in back] == [ids(p) for p in reversed(pages)]
    assert pages[0].is_first and not pages[0].has_previous
    assert pages[-1].is_last and not pages[-1].has_next and len(pages[-1].rows) == 1
    assert all(p.total == 10 for p in pages)


def test_last_page_is_the_oldest_rows_and_newer_from_it_goes_back(agency):
    reqs = make_many(agency, 10)
    last = selectors.request_page(agency=agency, now=NOW, per_page=3, last=True)
    assert ids(last) == [r.pk for r in reqs[-3:]]
    assert last.has_previous and not last.has_next and last.start_index == 8
    newer = selectors.request_page(agency=agency, now=NOW, per_page=3, before=last.previous_cursor)
    assert ids(newer) == [r.pk for r in reqs[4:7]] and newer.has_next
    # Newer than the second-newest row runs into the top: the first page, whole.
    top = selectors.request_page(
        agency=agency, now=NOW, per_page=3, before=Cursor.of(reqs[1]).encode()
    )
    assert ids(top) == [r.pk for r in reqs[:3]] and top.is_first and not top.has_previous


def test_pages_keep_the_status_filter_and_the_search(agency):
    received = make_many(agency, 7, received_on=dt.date(2025, 3, 1))
    make_many(agency, 5)
    Insured.objects.filter(pk__in=[r.insured_id for r in received[:4]]).update(
        legal_name="Zephyr Holdings"
    )
    pages, back = walk(agency, status="received")
    assert [pk for p in pages for pk in ids(p)] == [r.pk for r in received]
    assert [ids(p) for p in back] == [ids(p) for p in reversed(pages)]
    pages, _ = walk(agency, q="zephyr")
    assert [pk for p in pages for pk in ids(p)] == [r.pk for r in received[:4]]
    assert pages[0].total is None  # a search with more pages is not counted
    last = selectors.request_page(agency=agency, now=NOW, per_page=3, q="zephyr", last=True)
    assert ids(last) == [r.pk for r in received[1:4]]


@pytest.mark.parametrize("text", ["", "x", "12", "-5", "1-", "9" * 30 + "-1", "1-" + "9" * 30])
def test_a_cursor_that_is_not_one_is_no_cursor(text):
    assert Cursor.decode(text) is None


def test_cursor_round_trip_keeps_microseconds():
    c = Cursor(dt.datetime(2025, 3, 13, 19, 0, 0, 123456, tzinfo=dt.UTC), 42)
    assert Cursor.decode(c.encode()) == c


def test_links_carry_the_filters_and_a_deep_page_costs_the_queries_of_the_first(
    owner_client, agency, django_assert_num_queries
):
    make_many(agency, 120, received_on=dt.date(2025, 3, 1))
    url = reverse("vault:list")
    with django_assert_num_queries(5):  # session, user + agency, members, rows, status count
        first = owner_client.get(url, {"status": "received"})
    html = first.content.decode()
    older = re.search(r'href="\\?([^"]*)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "status=received" in older and "after=" in older
    assert "« First" not in html and "Last »" in html
    with django_assert_num_queries(5):
        second = owner_client.get(f"{url}?{older}")
    assert "« First" in second.content.decode() and 'rel="prev"' in second.content.decode()
    with django_assert_num_queries(5):
        last = owner_client.get(url, {"status": "received", "last": "1"})
    page = last.context["page"]
    assert page.is_last and (page.start_index, page.end_index) == (71, 120)
    assert "Showing 71–120 of 120" in last.content.decode()
