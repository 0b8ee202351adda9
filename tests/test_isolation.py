"""Tenant isolation, checked on every URL pattern the project has.

The patterns are discovered from the root URL resolver (through every include), so a new
view is covered the moment its URL exists. For each agency-facing pattern:

- signed in as an owner of agency A, the URL built with agency B's object ids answers 404
  to GET and to an empty POST (405 is accepted for one method when the other gives 404);
- anonymous visitors are sent to the sign-in page;
- platform staff, who belong to no agency, get 403.

A pattern whose URL kwarg is not in KWARG_BUILDERS fails `test_every_url_kwarg_has_a_builder`
with the list of such patterns: add a builder that creates the other agency's object.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import uuid
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.utils import timezone

from accounts.decorators import agency_member_required
from accounts.tenancy import get_for_agency

# Where agency data never appears: skipped by path prefix ...
SKIP_PREFIXES = ("admin/", "healthz", "dev/", "static/", "media/", "__debug__/")
# ... or by view module (django.contrib.auth's own views: sign-in, sign-out, password reset) ...
SKIP_VIEW_MODULES = ("django.contrib.auth.", "django.contrib.admin.", "django.views.static")
# ... or by name, each with the reason.
PUBLIC_PATTERNS = {
    "login": "sign-in page",
    "logout": "sign-out",
    "password_change": "django.contrib.auth view",
    "password_change_done": "django.contrib.auth view",
    "password_reset": "password reset by e-mail",
    "password_reset_done": "password reset by e-mail",
    "password_reset_confirm": "password reset by e-mail (uidb64 + token)",
    "password_reset_complete": "password reset by e-mail",
    "accounts:signup": "creates a new agency; no existing agency's data",
    "accounts:signup_sent": "the same 'check your e-mail' page for everyone",
    "accounts:signup_finish": "the signed token carries the new agency's details; no existing agency's data",
    "esign:sign": (
        "the signing link's signed token is the signer's credential (no account); tokens of "
        "another request, tampered, expired, revoked and used ones are tested below and in "
        "tests/esign"
    ),
    "esign:sign_letter": "the signing link's letter PDF, same token as esign:sign",
    "anymail:postmark_inbound_webhook": (
        "provider webhook: basic-auth secret, no agency's rows shown; the message's own token "
        "picks the request (tests/inbound/test_webhooks.py)"
    ),
    "anymail:mailgun_inbound_webhook": (
        "provider webhook: basic auth plus Mailgun's signature (tests/inbound/test_webhooks.py)"
    ),
    "metrics": "Prometheus: token or internal network only, no agency's rows (tests/ops)",
    "tracker:digest_unsubscribe": (
        "the weekly digest's signed token is the agent's credential (no sign-in, RFC 8058); "
        "it shows only that agent's e-mail; tampered and other agents' tokens are tested in "
        "tests/tracker/test_unsubscribe.py"
    ),
    "accounts:invitation_accept": (
        "the signed token is the visitor's credential; expired/forged/other tokens are "
        "tested in tests/accounts"
    ),
}

OTHER_AGENCY_NAME = "Other Agency (must never show)"


# Discovery ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Route:
    route: str
    name: str | None
    kwargs: tuple[str, ...]
    module: str

    def __str__(self) -> str:
        return f"{self.name or '(unnamed)'} [{self.route}]"


def _pattern_kwargs(pattern) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return list(converters)
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def discover(
    resolver=None, prefix: str = "", namespace: str | None = None, kwargs=()
) -> list[Route]:
    resolver = resolver or get_resolver()
    found = []
    for p in resolver.url_patterns:
        here = tuple(kwargs) + tuple(_pattern_kwargs(p.pattern))
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            found += discover(p, prefix + str(p.pattern), ns, here)
        elif isinstance(p, URLPattern):
            name = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
            callback = p.callback
            module = getattr(callback, "view_class", callback).__module__
            found.append(Route(prefix + str(p.pattern), name, here, module))
    return found


def is_agency_facing(route: Route) -> bool:
    if route.route.lstrip("^").startswith(SKIP_PREFIXES):
        return False
    if route.module.startswith(SKIP_VIEW_MODULES):
        return False
    return route.name not in PUBLIC_PATTERNS


ALL_ROUTES = discover()
AGENCY_ROUTES = [r for r in ALL_ROUTES if is_agency_facing(r)]
ROUTES_WITH_IDS = [r for r in AGENCY_ROUTES if r.kwargs]


def _params(routes):
    return [pytest.param(r, id=r.name or r.route) for r in routes]


# The other agency's objects, per URL kwarg -------------------------------------------------


def _factory_modules():
    local_apps = [
        app.label
        for app in apps.get_app_configs()
        if app.path.startswith(str(settings.BASE_DIR)) and "site-packages" not in app.path
    ]
    for name in ["tests.factories"] + [f"tests.{label}.factories" for label in local_apps]:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if not (exc.name and name.startswith(exc.name)):
                raise


def _factory_for(model):
    """The factory named <Model>Factory for `model` in tests/factories.py or tests/<app>/factories.py."""
    import factory

    for module in _factory_modules():
        candidate = getattr(module, f"{model.__name__}Factory", None)
        if (
            isinstance(candidate, type)
            and issubclass(candidate, factory.django.DjangoModelFactory)
            and candidate._meta.model is model
        ):
            return candidate
    return None


def _value_for(field: models.Field, agency):
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.FileField):
        return ContentFile(b"%PDF-1.4\n%isolation\n", name="isolation.pdf")
    if isinstance(field, models.EmailField):
        return f"{uuid.uuid4().hex[:12]}@isolation.test"
    if isinstance(field, (models.CharField, models.TextField)):
        text = uuid.uuid4().hex
        return text[: field.max_length] if field.max_length else text
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal("1")
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.TimeField):
        return dt.time(8, 0)
    if isinstance(field, models.DurationField):
        return dt.timedelta(0)
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    raise NotImplementedError(f"Cannot invent a value for {field!r}; add a factory for its model.")


def make(model_label: str, agency):
    """One saved row of `model_label` ("app.Model") belonging to `agency`.

    Uses the app's <Model>Factory when there is one (called with agency=...), else fills the
    required fields itself, creating required related rows inside the same agency.
    """
    from accounts.models import Agency, User
    from tests.factories import UserFactory

    try:
        model = apps.get_model(model_label)
    except LookupError:
        pytest.fail(f"A URL uses an id of {model_label}, but that model does not exist.")
    if model is Agency:
        return agency
    if model is User:
        return UserFactory(agency=agency)
    factory_class = _factory_for(model)
    if factory_class is not None:
        return factory_class(agency=agency)
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.auto_created:
            continue
        if isinstance(field, models.ForeignKey):
            if field.related_model is Agency:
                values[field.name] = agency
            elif not field.null:
                values[field.name] = make(field.related_model._meta.label, agency)
            continue
        if field.has_default() or field.null or (field.blank and not field.unique):
            continue
        values[field.name] = _value_for(field, agency)
    return model.objects.create(**values)


def _request(agency):
    from tests.factories import LossRunRequestFactory

    return LossRunRequestFactory(agency=agency)


def _document(agency):
    from tests.factories import DocumentFactory

    return DocumentFactory(request=_request(agency))


def _policy(agency):
    from tests.factories import PolicyFactory

    return PolicyFactory(request=_request(agency))


def _carrier(agency):
    from tests.factories import CarrierFactory

    return CarrierFactory(agency=agency)  # a private carrier of that agency


def _ticket(agency):
    from tests.helpdesk.factories import TicketFactory

    return TicketFactory(request=_request(agency))


def _notification(agency):
    from tracker.models import MilestoneKind, Notification

    return Notification.objects.create(
        agency=agency,
        request=_request(agency),
        milestone=MilestoneKind.SECOND_REQUEST_DUE,
        due_at=timezone.now(),
    )


def _invitation(agency):
    from tests.accounts.factories import InvitationFactory

    return InvitationFactory(agency=agency)


def _invitation_token(agency):
    from accounts.services import invitation_token

    return invitation_token(_invitation(agency))


def _signature(agency):
    from tests.esign.factories import SignatureRequestFactory

    return SignatureRequestFactory(agency=agency)


def _inbound_message(agency):
    from tests.inbound.factories import InboundMessageFactory

    return InboundMessageFactory(request=_request(agency))


def _unsubscribe_token(agency):
    from tracker.models import WeeklyDigest
    from tracker.unsubscribe import unsubscribe_token

    user = make("accounts.User", agency)
    row = WeeklyDigest.objects.create(agency=agency, user=user, week_of=dt.date(2025, 3, 10))
    return unsubscribe_token(row)


def _pk(build: Callable) -> Callable:
    return lambda agency: build(agency).pk


KWARG_BUILDERS: dict[str, Callable] = {
    "request_id": _pk(_request),
    "insured_id": _pk(lambda a: make("vault.Insured", a)),
    "carrier_id": _pk(_carrier),
    "policy_id": _pk(_policy),
    "document_id": _pk(_document),
    "user_id": _pk(lambda a: make("accounts.User", a)),
    "invitation_id": _pk(_invitation),
    "closed_day_id": _pk(lambda a: make("accounts.AgencyClosedDay", a)),
    "token": _invitation_token,
    "notification_id": _pk(_notification),
    "ticket_id": _pk(_ticket),
    "signature_id": _pk(_signature),
    "report_id": _pk(lambda a: make("claims.LossRunReport", a)),
    "term_id": _pk(lambda a: make("claims.ReportTerm", a)),
    "claim_id": _pk(lambda a: make("claims.Claim", a)),
    "import_id": _pk(lambda a: make("claims.ImportJob", a)),
    "pdf_import_id": _pk(lambda a: make("claims.PdfImport", a)),
    "page": lambda agency: 1,
    "message_id": _pk(_inbound_message),
    "unsubscribe_token": _unsubscribe_token,
}


def url_with_ids_of(route: Route, agency) -> str:
    kwargs = {name: KWARG_BUILDERS[name](agency) for name in route.kwargs}
    return reverse(route.name, kwargs=kwargs)


# The checks (also run against a deliberately leaky view below) -----------------------------


def isolation_problem(client, url: str) -> str | None:
    """None when GET and an empty POST both give 404 (one of them may be 405)."""
    got = {}
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        got[method] = response.status_code
        if response.status_code == 200 and OTHER_AGENCY_NAME.encode() in response.content:
            return f"{method.upper()} {url} shows the other agency's name"
    codes = sorted(got.values())
    if codes in ([404, 404], [404, 405]):
        return None
    return f"{url}: expected 404 (GET {got['get']}, POST {got['post']})"


def anonymous_problem(client, url: str) -> str | None:
    login = reverse(settings.LOGIN_URL)
    got = {}
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        got[method] = response.status_code
        if response.status_code == 405:
            continue
        if response.status_code != 302 or not response.url.startswith(login):
            return f"{method.upper()} {url}: expected a redirect to {login}, got {response.status_code}"
    if set(got.values()) == {405}:
        return f"{url}: 405 to both GET and POST"
    return None


def staff_problem(client, url: str) -> str | None:
    got = {}
    for method in ("get", "post"):
        got[method] = getattr(client, method)(url).status_code
    if sorted(got.values()) in ([403, 403], [403, 405]):
        return None
    return f"{url}: expected 403 for staff (GET {got['get']}, POST {got['post']})"


# Tests -------------------------------------------------------------------------------------


@pytest.fixture
def other(db):
    from tests.factories import AgencyFactory

    return AgencyFactory(name=OTHER_AGENCY_NAME)


@pytest.fixture
def signed_in_a(client, db):
    from tests.factories import AgencyFactory, OwnerFactory

    client.force_login(OwnerFactory(agency=AgencyFactory(name="Agency A")))
    return client


def test_every_url_kwarg_has_a_builder():
    unnamed = [str(r) for r in AGENCY_ROUTES if not r.name]
    assert not unnamed, f"Name these URL patterns so the isolation test can build them: {unnamed}"
    missing = sorted(
        {f"{r} uses {k!r}" for r in ROUTES_WITH_IDS for k in r.kwargs if k not in KWARG_BUILDERS}
    )
    assert not missing, (
        "These URL kwargs have no builder in tests/test_isolation.py KWARG_BUILDERS (a callable "
        "creating the OTHER agency's object), so their isolation is untested:\n  "
        + "\n  ".join(missing)
    )


def test_discovery_sees_the_accounts_patterns():
    names = {r.name for r in AGENCY_ROUTES}
    assert {"accounts:team", "accounts:member_remove", "accounts:settings"} <= names
    assert "accounts:signup" not in names
    assert "login" not in names
    assert not any(r.route.startswith("admin/") for r in AGENCY_ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", _params(ROUTES_WITH_IDS))
def test_other_agency_ids_give_404(signed_in_a, other, route):
    missing = [k for k in route.kwargs if k not in KWARG_BUILDERS]
    if missing:
        pytest.fail(f"{route}: no builder for {missing} (see test_every_url_kwarg_has_a_builder)")
    problem = isolation_problem(signed_in_a, url_with_ids_of(route, other))
    assert problem is None, problem


@pytest.mark.django_db
@pytest.mark.parametrize("route", _params(AGENCY_ROUTES))
def test_anonymous_is_sent_to_sign_in(client, other, route):
    if any(k not in KWARG_BUILDERS for k in route.kwargs):
        pytest.fail(f"{route}: no builder for its kwargs (see test_every_url_kwarg_has_a_builder)")
    problem = anonymous_problem(client, url_with_ids_of(route, other))
    assert problem is None, problem


@pytest.mark.django_db
@pytest.mark.parametrize("route", _params(AGENCY_ROUTES))
def test_staff_without_agency_get_403(client, other, route):
    from tests.factories import StaffFactory

    if any(k not in KWARG_BUILDERS for k in route.kwargs):
        pytest.fail(f"{route}: no builder for its kwargs (see test_every_url_kwarg_has_a_builder)")
    client.force_login(StaffFactory())
    problem = staff_problem(client, url_with_ids_of(route, other))
    assert problem is None, problem


# The checks can fail: a view that forgets the agency is caught ------------------------------


@agency_member_required
def _leaky_insured(request, insured_id):
    from vault.models import Insured

    insured = Insured.objects.get(pk=insured_id)  # forgets the agency
    return HttpResponse(f"<h1>{insured.agency.name}</h1>")


@agency_member_required
def _scoped_insured(request, insured_id):
    from vault.models import Insured

    insured = get_for_agency(Insured, agency=request.agency, pk=insured_id)
    return HttpResponse(insured.legal_name)


def _open_to_anyone(request):
    return HttpResponse("hello")


urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("leaky/<int:insured_id>/", _leaky_insured, name="leaky"),
    path("scoped/<int:insured_id>/", _scoped_insured, name="scoped"),
    path("open/", _open_to_anyone, name="open"),
]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_checks_catch_a_leaky_view(signed_in_a, other):
    routes = {r.name: r for r in discover()}
    assert routes["leaky"].kwargs == ("insured_id",)
    problem = isolation_problem(signed_in_a, url_with_ids_of(routes["leaky"], other))
    assert problem is not None and "other agency" in problem
    assert isolation_problem(signed_in_a, url_with_ids_of(routes["scoped"], other)) is None


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_checks_catch_a_view_without_sign_in(client, other):
    assert anonymous_problem(client, reverse("open")) is not None
    assert (
        anonymous_problem(client, url_with_ids_of(Route("", "scoped", ("insured_id",), ""), other))
        is None
    )


@pytest.mark.django_db
def test_own_agency_ids_are_not_404(client):
    """Control: with A's own ids the same URLs work, so the 404s above come from isolation."""
    from tests.factories import AgencyFactory, OwnerFactory

    agency = AgencyFactory()
    client.force_login(OwnerFactory(agency=agency))
    member = make("accounts.User", agency)
    url = reverse("accounts:member_remove", kwargs={"user_id": member.pk})
    assert client.post(url).status_code == 302
    member.refresh_from_db()
    assert member.is_active is False
    invitation = _invitation(agency)
    url = reverse("accounts:invitation_revoke", kwargs={"invitation_id": invitation.pk})
    assert client.post(url).status_code == 302


# The public signing pages: a token opens its own request only ------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["esign:sign", "esign:sign_letter"])
def test_signing_urls_with_another_requests_token_parts_show_nothing(client, other, name):
    """A token whose id or nonce comes from another request (another agency's) is refused
    before anything is read, signed in as the other agency or not."""
    from esign.tokens import make_token
    from tests.factories import AgencyFactory, OwnerFactory

    mine = _signature(AgencyFactory(name="Agency A"))
    theirs = _signature(other)
    client.force_login(OwnerFactory(agency=mine.agency))
    for token in (
        make_token(signature_id=theirs.pk, nonce=mine.nonce),
        make_token(signature_id=mine.pk, nonce=theirs.nonce),
    ):
        response = client.get(reverse(name, kwargs={"signing_token": token}))
        assert response.status_code == 404
        assert OTHER_AGENCY_NAME.encode() not in response.content
        assert theirs.request.insured.legal_name.encode() not in response.content
    # Control: the other request's own token opens its own page (and only its letter).
    own = client.get(
        reverse(
            name, kwargs={"signing_token": make_token(signature_id=theirs.pk, nonce=theirs.nonce)}
        )
    )
    assert own.status_code == 200
