"""Extraction of the synthetic fixture pages, one case per page, against hand-written golden JSON beside each.

The golden files say what a careful reader finds on the page; they are never generated from
archiver's output.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver.extract import extract_article
from tests.golden import differences

PAGES = Path(__file__).parent / "fixtures" / "pages"
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("golden_path", sorted(PAGES.glob("*.json")), ids=lambda p: p.stem)
def test_page(golden_path: Path) -> None:
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    article = extract_article(golden_path.with_suffix(".html").read_bytes(), golden["url"], fetched_at=FETCHED)
    assert differences(article, golden) == []


def test_enough_pages() -> None:
    assert len(list(PAGES.glob("*.json"))) >= 25
