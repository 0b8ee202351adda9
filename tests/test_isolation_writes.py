"""Tenant isolation of writes: no POST anywhere changes another agency's rows.

Every agency-facing URL pattern (discovered as in tests/test_isolation.py) is POSTed to by
agency A's member and then A's owner, twice each: with agency B's ids in the URL, and with
A's own ids in the URL; both times every id-bearing field of the forms that post there
carries B's ids, plus smuggled `agency`/`*_id` fields. The forms are found by crawling every
page of A once (tests/test_fuzz_forms.py's parser), so a new form is covered without being
listed. After each role's requests, B's rows (every model with an `agency`, their history,
B's users and B itself) must be exactly as before, and no row of A may point at a row of B.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from tests.test_fuzz_forms import Form, forms_of
from tests.test_isolation import AGENCY_ROUTES, KWARG_BUILDERS, Route, make

PDF = b"%PDF-1.4\n%isolation writes\n"
# Fields no form shows, smuggled into every POST in case a view or form trusts them.
SMUGGLED = ("agency", "agency_id", "insured", "carrier", "request", "document", "user", "ticket")


def _local_models() -> list[type[models.Model]]:
    base = str(settings.BASE_DIR)
    return [
        m
        for m in apps.get_models()
        if m._meta.app_config.path.startswith(base) and "site-packages" not in m.__module__
    ]


def _agency_models() -> list[type[models.Model]]:
    return [m for m in _local_models() if _has_field(m, "agency")]


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _related_by_name() -> dict[str, type[models.Model]]:
    """Form field name -> the model its ids point at, from every local relation's name."""
    names: dict[str, type[models.Model]] = {}
    for model in _local_models():
        for f in model._meta.get_fields():
            if (f.many_to_one or f.many_to_many) and not f.auto_created and f.related_model:
                names.setdefault(f.name, f.related_model)
    return names


RELATED = _related_by_name()


def _model_of_field(name: str) -> type[models.Model] | None:
    bare = name.rsplit("-", 1)[-1]  # Django form prefixes: "doc12-kind" -> "kind"
    for candidate in (bare, bare.removesuffix("_id"), bare.removesuffix("_ids"), bare + "s"):
        if candidate in RELATED:
            return RELATED[candidate]
    return None


# --- the two worlds ------------------------------------------------------------------------


def build_world(agency) -> dict[str, object]:
    """One object of every kind a URL takes, in `agency`."""
    return {kwarg: build(agency) for kwarg, build in KWARG_BUILDERS.items()}


def url_of(route: Route, world: dict) -> str:
    return reverse(route.name, kwargs={k: world[k] for k in route.kwargs})


def _page_forms(client: Client, url: str) -> list[Form]:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    return [f for f in forms_of(response.content.decode(), url) if f.method == "post"]


def _route_name_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


@pytest.fixture(scope="module")
def form_pages(django_db_setup, django_db_blocker) -> dict[str, set[str]]:
    """Route name -> the names of the pages that show a form posting to it (crawled once)."""
    from tests.factories import AgencyFactory, OwnerFactory

    found: dict[str, set[str]] = defaultdict(set)
    with django_db_blocker.unblock(), transaction.atomic():
        agency = AgencyFactory(name="Crawled Agency")
        world = build_world(agency)
        client = Client()
        client.force_login(OwnerFactory(agency=agency))
        for route in AGENCY_ROUTES:
            for form in _page_forms(client, url_of(route, world)):
                target = _route_name_of(form.action)
                if target is not None:
                    found[target].add(route.name)
        transaction.set_rollback(True)
    return found


# --- what must not change --------------------------------------------------------------------


def snapshot(agency) -> dict[str, list[dict]]:
    from accounts.models import Agency

    rows = {"accounts.Agency": list(Agency.objects.filter(pk=agency.pk).values())}
    for model in _agency_models():
        rows[model._meta.label] = list(model._default_manager.filter(agency=agency).values())
        for f in model._meta.many_to_many:
            through = f.remote_field.through
            rows[f"{model._meta.label}.{f.name}"] = sorted(
                through.objects.filter(**{f"{f.m2m_field_name()}__agency": agency}).values_list(
                    "pk", flat=True
                )
            )
    return rows


def cross_references(agency, other) -> list[str]:
    """Rows of `agency` pointing at a row of `other` (through a relation to a tenant model)."""
    found = []
    for model in _agency_models():
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            target = getattr(f, "related_model", None)
            if not f.is_relation or target is None or not _has_field(target, "agency"):
                continue
            leaks = model._default_manager.filter(
                agency=agency, **{f"{f.name}__agency": other}
            ).values_list("pk", flat=True)
            found += [f"{model._meta.label}#{pk}.{f.name}" for pk in leaks]
    return found


# --- the attack ------------------------------------------------------------------------------


def _value(field, own: dict[type[models.Model], object]):
    """What A's user would send: the page's value, else A's own id or a plausible value."""
    if field.kind == "file":
        return SimpleUploadedFile("isolation.pdf", PDF, "application/pdf")
    if field.value:
        return field.value
    model = _model_of_field(field.name)
    if model is not None and model in own:
        return str(own[model])
    if field.kind == "hidden" or field.name.endswith("-id"):
        return field.value  # formset row ids and the like: blank means new
    if field.kind == "select":
        return next((o for o in field.options if o), "")
    today = timezone.localdate()
    if field.kind == "date" and "end" in field.name:
        return today.replace(year=today.year + 1).isoformat()
    return {
        "email": "isolation@attacker.test",
        "date": today.isoformat(),
        "datetime-local": "",
        "number": "1",
        "time": "08:00",
        "checkbox": "on",
        "radio": "",
    }.get(field.kind, "Isolation test")


def ids_of(agency) -> dict[type[models.Model], object]:
    """For every model a form field can name: the pk of one of `agency`'s rows."""
    ids = {}
    for model in set(RELATED.values()):
        if model._meta.label == "accounts.Agency":
            ids[model] = agency.pk
            continue
        if not _has_field(model, "agency"):
            continue
        row = model._default_manager.filter(agency=agency).first()
        if row is None:
            row = make(model._meta.label, agency)
        ids[model] = row.pk
    return ids


def bodies(client: Client, route: Route, pages: set[str], world: dict, own: dict, foreign: dict):
    """POST bodies for `route` from the forms on A's pages that post there.

    Per form: A's own valid values, every id-bearing field with B's id at once, and each such field alone with B's
    id while the others keep A's valid values (one foreign id must not hide behind another
    field's error). Every body also smuggles `agency` and friends with B's ids.
    """
    agency_model = apps.get_model("accounts.Agency")
    smuggled = {
        name: str(foreign.get(RELATED.get(name.removesuffix("_id")), foreign[agency_model]))
        for name in SMUGGLED
    }
    found = []
    for page in sorted(pages):
        for form in _page_forms(client, url_of(BY_NAME[page], world)):
            if _route_name_of(form.action) != route.name:
                continue
            fields = [
                f
                for f in form.fields
                if f.name != "csrfmiddlewaretoken"
                and "__prefix__" not in f.name
                and (f.kind not in ("checkbox", "radio") or f.checked)
            ]
            base = {**smuggled, **{f.name: _value(f, own) for f in fields}}
            id_fields = [
                f.name
                for f in fields
                if (m := _model_of_field(f.name)) is not None and m in foreign
            ]
            all_foreign = {**base, **{n: str(foreign[_model_of_field(n)]) for n in id_fields}}
            found += [base, all_foreign]
            found += [{**base, n: str(foreign[_model_of_field(n)])} for n in id_fields]
    return found or [smuggled]


AGENCY_POST_ROUTES = [r for r in AGENCY_ROUTES if r.name]
BY_NAME = {r.name: r for r in AGENCY_POST_ROUTES}


@pytest.mark.django_db
@pytest.mark.parametrize("route", [pytest.param(r, id=r.name) for r in AGENCY_POST_ROUTES])
def test_posting_with_another_agencys_ids_changes_nothing_of_it(route, form_pages):
    from tests.factories import AgencyFactory, OwnerFactory, UserFactory

    mine, other = AgencyFactory(name="Agency A"), AgencyFactory(name="Agency B")
    my_world, other_world = build_world(mine), build_world(other)
    own, foreign = ids_of(mine), ids_of(other)
    before = snapshot(other)
    for role, user in (("member", UserFactory(agency=mine)), ("owner", OwnerFactory(agency=mine))):
        client = Client()
        client.force_login(user)
        pages = form_pages.get(route.name, set())
        body_list = bodies(client, route, pages, my_world, own, foreign)
        urls = {url_of(route, my_world)}
        if route.kwargs:
            urls.add(url_of(route, other_world))
        for url in sorted(urls):
            for body in body_list:
                for value in body.values():
                    if isinstance(value, SimpleUploadedFile):
                        value.seek(0)
                response = client.post(url, body)
                assert response.status_code < 500, (role, url, body)
        assert snapshot(other) == before, f"{role} changed agency B's rows via {route}"
        assert cross_references(mine, other) == [], f"{role} linked A to B's rows via {route}"


@pytest.mark.django_db
def test_the_crawl_finds_the_forms(form_pages):
    """The crawl really sees forms, among them ones posted to URLs with ids."""
    assert {"vault:request_create", "accounts:invite", "accounts:member_remove"} <= set(form_pages)
    assert any(BY_NAME[name].kwargs for name in form_pages if name in BY_NAME)


@pytest.mark.django_db
def test_the_checks_see_a_change_and_a_cross_reference():
    """Control: the snapshot and the cross-reference check do catch what they look for."""
    from tests.factories import AgencyFactory, InsuredFactory, LossRunRequestFactory

    mine, other = AgencyFactory(), AgencyFactory()
    theirs = InsuredFactory(agency=other)
    before = snapshot(other)
    type(theirs).objects.filter(pk=theirs.pk).update(legal_name="changed")
    assert snapshot(other) != before
    req = LossRunRequestFactory(agency=mine)
    type(req).objects.filter(pk=req.pk).update(insured=theirs)
    assert cross_references(mine, other) == [f"vault.LossRunRequest#{req.pk}.insured"]
