"""The import rules of ARCHITECTURE.md, checked on the source: which part may import which."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "archiver"

#: What every part shares: the package face and the modules at the top of archiver/.
SHARED = {"archiver", "archiver.items", "archiver.settings", "archiver.urls"}

#: Each part and the parts it may import (besides itself and the shared modules), as ARCHITECTURE.md draws them.
ALLOWED: dict[str, set[str]] = {
    "shared": set(),
    "extract": set(),
    "archive": set(),
    "warc": {"extract", "archive"},
    "crawl": {"extract", "archive", "warc"},
    "datasette": {"archive"},
    "demo": set(),
    "distributed": {"crawl", "extract", "archive", "warc"},
    "cli": {"crawl", "extract", "archive", "datasette", "demo", "distributed", "warc"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part(module: str) -> str:
    """The part a module of archiver belongs to."""
    if module in SHARED:
        return "shared"
    name = module.split(".")[1]
    if name not in ALLOWED:
        raise AssertionError(f"{module} belongs to no part of ARCHITECTURE.md")
    return name


def imported(path: Path) -> set[str]:
    """The archiver modules a source file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("archiver"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("archiver"):
            module = node.module or ""
            submodules = {f"{module}.{a.name}" for a in node.names}
            found.update(m for m in submodules if _is_module(m)) if module == "archiver" else found.add(module)
    return found


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).is_dir() or (PACKAGE / relative).with_suffix(".py").is_file()


def edges() -> list[tuple[str, str, str]]:
    """(importing module, imported module, file) for every import of archiver inside archiver/."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "site" in path.relative_to(PACKAGE).parts[:2]:
            continue  # the demo site's files are data
        for target in imported(path):
            found.append((module_name(path), target, str(path.relative_to(PACKAGE.parent))))
    return found


def test_every_module_belongs_to_a_part() -> None:
    for path in PACKAGE.rglob("*.py"):
        part(module_name(path))


def test_parts_import_only_what_architecture_allows() -> None:
    wrong = [
        f"{file}: {source} ({part(source)}) imports {target} ({part(target)})"
        for source, target, file in edges()
        if part(target) not in ALLOWED[part(source)] | {part(source), "shared"}
    ]
    assert wrong == []


def test_no_two_parts_import_each_other() -> None:
    pairs = {(part(s), part(t)) for s, t, _ in edges() if part(s) != part(t)}
    assert sorted(p for p in pairs if (p[1], p[0]) in pairs) == []


@pytest.mark.parametrize("source", sorted(ALLOWED))
def test_allowed_imports_have_no_cycle(source: str) -> None:
    seen, todo = set(), list(ALLOWED[source])
    while todo:
        current = todo.pop()
        assert current != source, f"{source} can reach itself"
        if current not in seen:
            seen.add(current)
            todo.extend(ALLOWED[current])


def test_archive_and_extraction_load_no_crawler() -> None:
    """Importing every module of the archive and of extraction loads neither Scrapy nor Twisted."""
    modules = [module_name(p) for p in sorted(PACKAGE.rglob("*.py")) if part(module_name(p)) in ("archive",)]
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []
