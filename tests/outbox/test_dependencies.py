"""The outbox is infrastructure at the bottom: it imports no app that uses it."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"django", "celery", "config", "outbox", "__future__"}
FILES = sorted(p for p in (ROOT / "outbox").rglob("*.py"))


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_outbox_imports_only_django_celery_config_and_itself(path):
    foreign = imported_roots(path) - ALLOWED - set(sys.stdlib_module_names)
    assert foreign == set(), f"{path.relative_to(ROOT)} imports {sorted(foreign)}"


def test_the_check_sees_an_app_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from tracker.models import Notification\nimport vault\n")
    assert imported_roots(bad) - ALLOWED - set(sys.stdlib_module_names) == {"tracker", "vault"}
