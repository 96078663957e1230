"""The crawl benchmark's synthetic site: deterministic, sized as asked, every article linked and readable."""

from __future__ import annotations

import re
from pathlib import Path

from archiver.extract import extract_article
from benchmarks.sitegen import LAYOUTS, generate, read_expected


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _page(folder: Path, url: str) -> Path:
    return folder / (url.lstrip("/") + ("index.html" if url.endswith("/") else ""))


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "one", 40, seed=3)
    generate(tmp_path / "two", 40, seed=3)
    generate(tmp_path / "other", 40, seed=4)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    assert _files(tmp_path / "one") != _files(tmp_path / "other")


def test_articles_sized_and_listed(tmp_path: Path) -> None:
    expected = generate(tmp_path, 60)
    assert read_expected(tmp_path) == expected
    assert {e.layout for e in expected} == set(LAYOUTS)
    assert any(e.jsonld for e in expected) and not all(e.jsonld for e in expected)
    assert {e.comments == 0 for e in expected} == {True, False}
    assert all(0 <= e.comments <= 40 for e in expected)
    for e in expected:
        assert 30_000 <= _page(tmp_path, e.url).stat().st_size == e.bytes <= 60_000
    listings = [tmp_path / "index.html", *sorted((tmp_path / "page").glob("*.html"))]
    assert len(listings) == 3  # 20 articles a page
    linked = {href for page in listings for href in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8"))}
    assert {e.url for e in expected} <= linked
    assert {"/page/2.html", "/page/3.html"} <= linked


def test_expected_records_are_what_the_pages_say(tmp_path: Path) -> None:
    """Each layout's first article with comments, read by archiver, agrees with its expected record."""
    expected = generate(tmp_path, 30)
    for layout in LAYOUTS:
        e = next(e for e in expected if e.layout == layout and e.comments > 3)
        article = extract_article(_page(tmp_path, e.url).read_bytes(), f"http://127.0.0.1{e.url}")
        assert (article.title, article.authors, (article.published or "")[:10]) == (e.title, e.authors, e.published)
        assert len(article.comments) == e.comments


def test_every_article_with_the_same_number_of_comments(tmp_path: Path) -> None:
    """``comments=20``: each article page holds 20 comments, counted on the page, in every layout."""
    expected = generate(tmp_path, 30, comments=20)
    assert {e.layout for e in expected} == set(LAYOUTS)
    marks = {
        "wordpress": '<div id="comment-',
        "news": '<div class="comment" id=',
        "blogger": '<dt class="comment-author"',
    }
    for e in expected:
        page = _page(tmp_path, e.url).read_text(encoding="utf-8")
        assert e.comments == 20
        assert page.count(marks[e.layout]) == 20, (e.layout, e.url)
