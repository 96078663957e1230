"""Extraction of every demo article matches what a careful reader says it holds."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver.demo import SITE_DIR
from archiver.extract import extract_article
from tests.golden import differences

EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "demo_expected.json").read_text(encoding="utf-8"))
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("path", sorted(p for p in EXPECTED if p.startswith("/")))
def test_demo_article(path: str) -> None:
    html = (SITE_DIR / path.lstrip("/")).read_bytes()
    article = extract_article(html, f"http://127.0.0.1:8642{path}", fetched_at=FETCHED)
    assert differences(article, EXPECTED[path]) == []
