"""Comparing an extracted Article with a hand-written golden record."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from archiver.extract.text import clean
from archiver.items import Article

COMMENT_FIELDS = (
    "number", "number_source", "author", "author_url", "published", "published_local", "title", "body", "parent",
    "anchor", "kind",
)  # fmt: skip


def _norm_body(text: str | None) -> str:
    return "\n\n".join(clean(p) for p in (text or "").split("\n\n"))


def differences(article: Article, golden: dict[str, Any]) -> list[str]:
    """Every way the article differs from the golden record, as readable lines."""
    found = asdict(article)
    problems = [
        f"{name}: want {golden[name]!r}, got {found[name]!r}"
        for name in ("title", "authors", "published", "published_local", "modified", "comments_status")
        if name in golden and found[name] != golden[name]
    ]
    body = clean(article.body)
    start = golden.get("body_starts_with")
    if start and not body.startswith(clean(start)):
        problems.append(f"body starts {body[: len(start) + 20]!r}, not {start!r}")
    problems += [f"body lacks {s!r}" for s in golden.get("body_contains", []) if clean(s) not in body]
    problems += [f"body has {s!r}" for s in golden.get("body_excludes", []) if clean(s) in body]
    want = golden.get("comments", [])
    got = found["comments"]
    if len(want) != len(got):
        problems.append(f"comments: want {len(want)}, got {len(got)}: {[c['author'] for c in got]}")
    for i, (w, g) in enumerate(zip(want, got, strict=False)):
        for name in COMMENT_FIELDS:
            expected, actual = w.get(name), g.get(name)
            if name == "body" and expected is not None:  # null: no text at all, not even ''
                expected, actual = _norm_body(expected), _norm_body(actual)
            if name in w and expected != actual:
                problems.append(f"comment {i + 1} {name}: want {expected!r}, got {actual!r}")
    return problems
