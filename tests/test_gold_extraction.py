"""The comment extractor on the hand-labelled real pages of the gold set (benchmarks/gold/comments/).

Every labelled page present under ../shared/bench/ is extracted; the figures the whole set reaches
(per-comment recall and precision, authors, dates, status) must not fall below the floors here,
which are the levels reached so far (raise them as the extractor improves; never lower them to
make a change pass). Skipped when the pages are absent, failing under ARCHIVER_REQUIRE_ALL=1.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

import pytest

from archiver.extract import extract_article
from benchmarks.gold.check_gold import BENCH, pages_present
from benchmarks.gold.score import Extracted, GoldScore, gold_pages
from tests.conftest import require

#: The levels reached on the whole gold set (``make bench-comments`` prints them).
FLOORS = {
    "recall": 0.985,
    "precision": 0.99,
    "author": 0.99,
    "date": 0.99,
    "number": 0.99,
    "parent": 0.99,
    "pages_right": 0.86,
    "status": 0.98,
}


@pytest.fixture(scope="module")
def score() -> GoldScore:
    require(pages_present(), f"the real pages in {BENCH}")
    result = GoldScore()
    fetched = datetime(2026, 12, 1, tzinfo=UTC)  # after every gold page was saved (as bench_extract)
    for page in gold_pages():
        article = extract_article(page.html(), page.url, fetched_at=fetched)
        result.add(page, Extracted(article.comments_status, [asdict(c) for c in article.comments]))
    return result


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_the_extractor_keeps_its_level_on_the_gold_set(score: GoldScore, measure: str) -> None:
    figures = score.total.figures()
    assert score.total.pages >= 120, f"only {score.total.pages} gold pages present"
    assert figures[measure] >= FLOORS[measure], (
        f"{measure} {figures[measure]:.3f} < {FLOORS[measure]}; misses:\n" + "\n".join(score.misses[:20])
    )
