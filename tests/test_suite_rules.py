"""Rules of the test suite itself: shared helpers live in conftest.py (or a helper module), local
crawls go through ``crawl_local`` / ``LOCAL_CRAWL_FLAGS``, and the fixture pages say they are synthetic."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, LOCAL_CRAWL_FLAGS

TESTS = Path(__file__).parent
MODULES = sorted(TESTS.glob("*.py"))
SYNTHETIC = "<!-- synthetic:"


def imported_modules(path: Path) -> set[str]:
    """The modules a file imports (relative imports as ``.name``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_test_module_imports_another(path: Path) -> None:
    """Helpers two test modules share go to conftest.py or a helper module, never one test module."""
    tests = {m for m in imported_modules(path) if m.rsplit(".", 1)[-1].startswith("test_")}
    assert not tests, f"{path.name} imports {sorted(tests)}: move what it needs to tests/conftest.py"


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "conftest.py"], ids=lambda p: p.name)
def test_local_crawl_flags_are_not_retyped(path: Path) -> None:
    """Local crawls use ``crawl_local`` or ``LOCAL_CRAWL_FLAGS`` from conftest.py."""
    text = path.read_text(encoding="utf-8")
    retyped = [flag for flag in LOCAL_CRAWL_FLAGS if flag != "-s" and f'"{flag}"' in text]
    assert not retyped, f"{path.name} types {retyped}: use crawl_local or LOCAL_CRAWL_FLAGS from tests/conftest.py"


def test_fixture_pages_say_they_are_synthetic() -> None:
    pages = FIXTURES / "pages"
    assert "Synthetic" in (pages / "README.md").read_text(encoding="utf-8")
    unmarked = [p.name for p in sorted(pages.glob("*.html")) if SYNTHETIC.encode() not in p.read_bytes()[-300:]]
    assert unmarked == []
