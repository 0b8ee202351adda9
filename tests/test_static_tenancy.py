"""Static check: agency-facing code reaches tenant rows only through the scoping helpers.

Agency-facing code is every view, form, selector and service module of the apps. In it, a
tenant model (one with an `agency` field) may be written through its manager (`create`,
`bulk_create`, `bulk_update`), but every query goes through `accounts.tenancy.scoped()` or
`get_for_agency()`: `Model.objects.filter(agency=...)` by hand is refused, and so is any other
query on the manager that is not the first argument of one of those helpers.

Allowed without the helper: `none()`; carriers' own scope `visible_to(agency)`; the queryset
of a `Prefetch` (it follows a relation of rows already scoped); and a line that says why it
crosses agencies with a `# tenancy: <reason>` comment (e-mail addresses are global; an
invitation is found from its signed token before anyone is signed in).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "vault", "tracker", "helpdesk", "claims", "inbound")
AGENCY_FACING = ("views", "forms", "selectors", "services")
MANAGERS = {"objects", "_default_manager"}
WRITES = {"create", "create_user", "bulk_create", "bulk_update"}
SAFE = {"none", "visible_to"}
HELPERS = {"scoped", "get_for_agency"}
PRAGMA = "# tenancy:"
# Modules that are not agency-facing although their name says services: what runs for every
# agency at once from Celery (the sweep, notice delivery), never for a signed-in user.
NOT_AGENCY_FACING = {"tracker/services.py"}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def tenant_model_names() -> set[str]:
    return {
        model.__name__
        for model in apps.get_models()
        if any(f.name == "agency" and f.is_relation for f in model._meta.get_fields())
    }


def agency_facing_files() -> list[Path]:
    """views*.py, forms*.py, selectors*.py, services*.py and services/ packages of the apps."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT / app)
            if rel.parts[0] in ("migrations", "management"):
                continue
            names = [rel.stem, *rel.parts[:-1]]
            facing = any(n.startswith(AGENCY_FACING) for n in names)
            if facing and f"{app}/{rel.as_posix()}" not in NOT_AGENCY_FACING:
                found.append(path)
    return found


def _call_name(node: ast.AST) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def violations(source: str, tenant_models: set[str], path: str = "<snippet>") -> list[Violation]:
    """Every query on a tenant model's manager in `source` that bypasses the helpers."""
    tree = ast.parse(source)
    lines = source.splitlines()
    parents: dict[ast.AST, ast.AST] = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and isinstance(node.value, ast.Name)
            and node.value.id in tenant_models
        ):
            continue
        method = parents.get(node)
        if isinstance(method, ast.Attribute) and method.attr in WRITES | SAFE:
            continue
        if PRAGMA in lines[node.lineno - 1]:
            continue
        # Inside the first argument of scoped()/get_for_agency(), or a Prefetch's queryset.
        child, ancestor, scoped_ok = node, parents.get(node), False
        while ancestor is not None:
            name = _call_name(ancestor)
            if name in HELPERS and ancestor.args and ancestor.args[0] is child:
                scoped_ok = True
                break
            if name == "Prefetch":
                scoped_ok = True
                break
            child, ancestor = ancestor, parents.get(ancestor)
        if scoped_ok:
            continue
        what = method.attr if isinstance(method, ast.Attribute) else "(manager)"
        found.append(
            Violation(
                path, node.lineno, f"{node.value.id}.{node.attr}.{what}(...) without scoped()"
            )
        )
    return found


def test_agency_facing_code_queries_tenant_models_only_through_the_helpers():
    models = tenant_model_names()
    assert {"LossRunRequest", "Document", "Ticket", "Claim"} <= models
    files = agency_facing_files()
    assert (
        ROOT / "vault" / "views.py" in files
        and ROOT / "claims" / "services" / "imports.py" in files
    )
    found = []
    for path in files:
        found += violations(path.read_text(), models, str(path.relative_to(ROOT)))
    assert not found, "\n".join(map(str, found))


SNIPPETS_CAUGHT = [
    "LossRunRequest.objects.filter(agency=agency)",
    "Document.objects.get(pk=pk, agency_id=agency.pk)",
    "Ticket.objects.select_related('request').filter(agency=agency)",
    "Claim._default_manager.all()",
    "x = scoped(Insured, agency).filter(pk__in=Claim.objects.values('insured_id'))",
    "qs = Ticket.objects.select_related('request')  # a comment that is not the pragma",
]
SNIPPETS_ALLOWED = [
    "scoped(LossRunRequest, agency).filter(pk=1)",
    "get_for_agency(Ticket.objects.select_related('request'), agency=agency, pk=1)",
    "tenancy.scoped(Document.objects.order_by('-id'), agency)",
    "Claim.objects.create(agency=agency)",
    "Claim.objects.bulk_create(rows)",
    "Carrier.objects.filter(agency=None)",  # not a tenant model in this check's list below
    "Document.objects.none()",
    "Prefetch('documents', queryset=Document.objects.select_related('uploaded_by'))",
    "Ticket.objects.filter(email=e)  # tenancy: e-mail is global",
]


@pytest.mark.parametrize("snippet", SNIPPETS_CAUGHT)
def test_the_checker_catches_a_query_without_the_helper(snippet):
    models = {"LossRunRequest", "Document", "Ticket", "Claim", "Insured"}
    assert len(violations(snippet, models)) == 1, snippet


@pytest.mark.parametrize("snippet", SNIPPETS_ALLOWED)
def test_the_checker_lets_scoped_queries_and_writes_through(snippet):
    models = {"LossRunRequest", "Document", "Ticket", "Claim", "Insured"}
    assert violations(snippet, models) == [], snippet
