"""archiver's own reader of a plain article container against trafilatura on every real page of
../shared/bench (realpages, wcxb-dev): wherever ``plain_text`` reads a container, its text is
trafilatura's fast mode's, as the body normalizes both. container.py mirrors trafilatura's rules
(2.3.1, pinned in pyproject.toml): this is the test to run before raising that bound. Skipped when
the pages are absent, failing under ARCHIVER_REQUIRE_ALL=1.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from archiver.extract import NotHTMLError, load_page
from archiver.extract.body import _trafilatura_text, main_region
from archiver.extract.container import plain_text
from benchmarks.gold.check_gold import BENCH
from benchmarks.realpages import records as realpages_records
from benchmarks.wcxb import records as wcxb_records
from tests.conftest import body_paragraphs, require

SETS = ("realpages", "wcxb-dev")


def _pages(name: str) -> Iterator[tuple[str, str, bytes]]:
    if name == "realpages":
        for record in realpages_records(BENCH / name):
            yield record.path.name, record.url, record.path.read_bytes()
    else:
        for wrecord in wcxb_records(BENCH / name):
            yield wrecord.id, wrecord.url, wrecord.html()


@pytest.mark.parametrize("name", SETS)
def test_the_reader_gives_trafilaturas_text_of_every_container_it_reads(name: str) -> None:
    require((BENCH / name / "ground-truth.json").is_file(), f"the real pages in {BENCH / name}")
    pages = read = 0
    differ: list[str] = []
    for page_id, url, html in _pages(name):
        pages += 1
        try:
            page = load_page(html, url)
        except NotHTMLError:
            continue
        region = main_region(page.tree)
        own = None if region is None else plain_text(region)
        if own is None:
            continue
        read += 1
        if body_paragraphs(own) != body_paragraphs(_trafilatura_text(region, page.url, fast=True)):
            differ.append(page_id)
    assert pages >= 500, f"only {pages} pages of {name} present"
    assert read >= 10, f"only {read} containers of {name} read by plain_text"  # the test tests something
    assert not differ, f"{len(differ)} of {read} containers read otherwise than trafilatura: {differ[:20]}"
