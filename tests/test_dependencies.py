"""Dependencies point one way, in ORDER: the outbox at the bottom, then accounts, vault,
tracker, ..., helpdesk, claims, and demo on top (docs/architecture.md).

An app may import the apps below it, never one above (module-level or inside a function);
config is infrastructure every app may use.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = [
    "outbox",
    "accounts",
    "statutes",
    "vault",
    "tracker",
    "esign",
    "dispatch",
    "inbound",
    "escalation",
    "helpdesk",
    "claims",
    "demo",
]


def imported_apps(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(ORDER)


def upward_imports(app: str) -> list[str]:
    above = set(ORDER[ORDER.index(app) + 1 :])
    bad = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for other in sorted(imported_apps(path.read_text()) & above):
            bad.append(f"{path.relative_to(ROOT)} imports {other}")
    return bad


@pytest.mark.parametrize("app", ORDER)
def test_no_app_imports_an_app_above_it(app):
    assert upward_imports(app) == []


def test_the_check_sees_function_level_imports():
    snippet = "def f():\n    from tracker.services import x\n"
    assert imported_apps(snippet) == {"tracker"}
    assert imported_apps("import vault.models as m\nfrom django import forms") == {"vault"}
