"""Property-based tests of extraction on generated article-like HTML (hypothesis).

Whatever the markup, ``extract_article`` raises nothing but ``NotHTMLError``, finishes within a
time bound (the profile's deadline), and keeps its invariants: comment numbers unique, parents
refer to earlier comments, dates ISO 8601 or None and never after the fetch, and the body never
holds a comment's text. ``make fuzz`` runs the same properties with many more examples
(``--hypothesis-profile=fuzz``); a failing page is saved to ``tests/fixtures/fuzz/`` (see
``ARCHIVER_FUZZ_SAVE``) and from then on checked by ``test_saved_fuzz_pages``.
"""

from __future__ import annotations

import html
import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archiver.extract import NotHTMLError, comments_from_page, extract_article, load_page
from archiver.extract.metadata import _by_patterns, _site_name_cut
from archiver.items import Article, Comment

FUZZ_DIR = Path(__file__).parent / "fixtures" / "fuzz"
FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
URL = "https://news.example.org/2025/02/story.html"

WORDS = ["harbour", "ferry", "council", "budget", "river", "the", "and", "of", "Müller", "café", "東京", "Москва",
         "naïve", "2024", "said", "by", "comments", "reply", "posted", "at", "wrote", "«quote»", "—", "&", "<",
         "'"]  # fmt: skip
#: Text as pages have it: words, and now and then anything unicode allows (no surrogates or NULs).
text = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join),
    st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=60),
)
dates = st.one_of(
    st.datetimes(datetime(1985, 1, 1), datetime(2035, 1, 1)).map(lambda d: d.isoformat(timespec="seconds")),
    st.datetimes(datetime(1985, 1, 1), datetime(2035, 1, 1)).map(lambda d: d.strftime("%B %d, %Y at %I:%M %p")),
    st.dates(date(1985, 1, 1), date(2035, 1, 1)).map(lambda d: d.strftime("%d.%m.%Y")),
    st.sampled_from(["3 days ago", "yesterday", "2024-13-45", "31/02/2024", "vor 2 Stunden", "", "soon", "0000-00-00"]),
)
names = st.one_of(st.sampled_from(["Ann", "Jo Park", "María José", "李雷", "admin", "Anonymous", "By", "Staff"]), text)


@st.composite
def comment_items(draw: st.DrawFn, depth: int = 0) -> str:
    """One comment (WordPress-like or numbered text), perhaps with replies inside it."""
    n = draw(st.integers(0, 10_000))
    # each comment's text ends in a token of its own: the body can hold it only by mistake
    who, when, said = draw(names), draw(dates), f"{draw(text)} cmt{draw(st.uuids()).hex[:10]}"
    style = draw(st.sampled_from(["wordpress", "numbered", "plain"]))
    if style == "wordpress":
        inner = (
            f"<cite class='fn'>{html.escape(who)}</cite> <time datetime='{html.escape(when)}'>"
            f"{html.escape(when)}</time><div class='comment-content'><p>{html.escape(said)}</p></div>"
        )
    elif style == "numbered":
        inner = f"<p>({n}) {html.escape(who)} says:</p><p>{html.escape(when)}</p><p>{html.escape(said)}</p>"
    else:
        inner = f"<span class='author'>{html.escape(who)}</span> <span class='date'>{html.escape(when)}</span> " + (
            html.escape(said)
        )
    replies = ""
    if depth < 3 and draw(st.booleans()):
        replies = "<ol class='children'>" + "".join(draw(st.lists(comment_items(depth + 1), max_size=3))) + "</ol>"
    anchor = draw(st.sampled_from([f" id='comment-{n}'", f" id='c{n}'", ""]))
    return f"<li class='comment'{anchor}>{inner}{replies}</li>"


@st.composite
def pages(draw: st.DrawFn) -> str:
    """An article-ish page: head metadata, headings, paragraphs, nesting, a comment list, stray markup."""
    title = draw(text)
    head = f"<title>{html.escape(title)}</title>"
    if draw(st.booleans()):
        head += f"<meta property='article:published_time' content='{html.escape(draw(dates))}'>"
    if draw(st.booleans()):
        data = {"@type": "NewsArticle", "headline": draw(text), "datePublished": draw(dates), "author": draw(names)}
        head += f"<script type='application/ld+json'>{json.dumps(data)[: draw(st.integers(1, 400))]}</script>"
    paragraphs = "".join(f"<p>{html.escape(draw(text))}</p>" for _ in range(draw(st.integers(0, 8))))
    depth = draw(st.integers(0, 40))
    body = (
        f"<h1>{html.escape(title)}</h1><p class='byline'>By {html.escape(draw(names))}, "
        f"<time>{html.escape(draw(dates))}</time></p>" + "<div>" * depth + paragraphs + "</div>" * depth
    )
    comments = "".join(draw(st.lists(comment_items(), max_size=8)))
    area = draw(st.sampled_from(["<ol class='comment-list'>{}</ol>", "<div id='comments'><ul>{}</ul></div>", "{}"]))
    junk = draw(st.sampled_from(["", "<div><span>", "</article></div>", "<p><b><i>", "<!-- x", "<table><tr><td>"]))
    return (
        f"<!DOCTYPE html><html><head>{head}</head><body><article>{body}{junk}</article>"
        f"<section class='comments'>{area.format(comments)}</section></body></html>"
    )


def check_invariants(article: Article) -> None:
    """What must hold of any extracted article, whatever page it came from."""
    for value in (article.published, article.modified):
        check_date(value)
    absent = [name for name in article.provenance if getattr(article, name) in (None, "", [])]
    assert absent == [], f"provenance for absent fields: {absent}"
    check_comments(article.comments)
    for comment in article.comments:
        if comment.body and article.body:
            assert comment.body not in article.body, f"comment {comment.number}'s text is in the body"


def check_comments(comments: list[Comment]) -> None:
    """Numbers unique, parents earlier comments, dates sound."""
    numbers = [c.number for c in comments]
    assert len(numbers) == len(set(numbers)), f"comment numbers repeat: {numbers}"
    seen: set[int | None] = set()
    for comment in comments:
        assert comment.parent is None or comment.parent in seen, f"{comment.number} replies to {comment.parent}"
        seen.add(comment.number)
        check_date(comment.published)


def check_date(value: str | None) -> None:
    """ISO 8601 or None, and not after the fetch (a day's slack for time zones)."""
    if value is None:
        return
    parsed = datetime.fromisoformat(value)  # raises on anything not ISO 8601
    when = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    assert when <= FETCHED + timedelta(days=1), f"{value} is after the fetch"


def extract_checked(page: bytes | str, name: str) -> None:
    """Extract a page and check the invariants; on failure (with ARCHIVER_FUZZ_SAVE set) keep the page."""
    try:
        try:
            article = extract_article(page, URL, fetched_at=FETCHED)
        except NotHTMLError:
            return
        check_invariants(article)
        check_comments(comments_from_page(load_page(page, URL), FETCHED))
    except Exception:
        if os.environ.get("ARCHIVER_FUZZ_SAVE"):
            FUZZ_DIR.mkdir(parents=True, exist_ok=True)  # the last one written is the shrunk example
            data = page.encode("utf-8", "surrogatepass") if isinstance(page, str) else page
            (FUZZ_DIR / f"found-{name}.html").write_bytes(data)
        raise


@given(pages())
def test_generated_articles_keep_invariants(page: str) -> None:
    extract_checked(page, "article")


@given(st.binary(max_size=2000) | text.map(str.encode))
def test_any_bytes_extract_or_raise_not_html(page: bytes) -> None:
    extract_checked(page, "bytes")


@pytest.mark.parametrize("path", sorted(FUZZ_DIR.glob("*.html")), ids=lambda p: p.name)
def test_saved_fuzz_pages(path: Path) -> None:
    """Pages the fuzzing once found failing: they must keep passing."""
    extract_checked(path.read_bytes(), path.stem)


#: Letters re.IGNORECASE matches beyond their lower case (ſ, ı, K, µ, ς), "İ" (two letters when
#: lowered), white space and the title separators.
TITLE_LETTERS = "abSsſKkıiİI µμΣσςß \t\n\u00a0|-–:/."


@given(
    st.text(TITLE_LETTERS, max_size=5),
    st.text(TITLE_LETTERS, max_size=8),
    st.sampled_from([str, str.upper, str.swapcase]),
    st.sampled_from(["", " ", " | ", ": ", " -\n"]),
    st.booleans(),
)
def test_site_name_cut_agrees_with_its_patterns(name: str, rest: str, case: Any, sep: str, opens: bool) -> None:
    """The title is cut where the per-name regular expressions would cut it, without compiling them."""
    title = f"{case(name)}{sep}{rest}" if opens else f"{rest}{sep}{case(name)}"
    assert _site_name_cut(title, name) == _by_patterns(title, name)
