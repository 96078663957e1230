"""Comment extraction: the page's comment status in any letter case, and deep reply chains."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from archiver.extract import comments_from_page, load_page
from archiver.extract.comments import extract_comments
from archiver.extract.structured import read_structured

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("marker", "status"),
    [
        ("<div id='DISQUS_THREAD'></div>", "external:disqus"),
        ("<p>Les commentaires sont FERMÉS.</p>", "closed"),
        ("<p>\u212aOMMENTARE SIND GESCHLOSSEN</p>", "closed"),  # the Kelvin sign lower-cases to "k"
        ("<p>Comments are open.</p>", "none"),
    ],
)
def test_status_without_comments(marker: str, status: str) -> None:
    page = load_page(f"<html><body><article><p>Story.</p></article>{marker}</body></html>", "https://x.org/a")
    assert extract_comments(page, read_structured(page.tree), NOW).status == status


def reply_chain(depth: int) -> str:
    item = (
        "<li class='comment' id='comment-{n}'><cite class='fn'>Reader {n}</cite> "
        "<time datetime='2024-01-01T10:00'>Jan 1, 2024</time><div class='comment-content'><p>Reply {n}.</p></div>"
    )
    return "".join(item.format(n=n) + "<ol class='children'>" for n in range(1, depth + 1))


def test_deep_reply_chain_is_read_in_linear_time() -> None:
    html = (
        f"<html><body><section id='comments'><ol class='comment-list'>{reply_chain(300)}</ol></section></body></html>"
    )
    started = time.process_time()
    comments = comments_from_page(load_page(html, "https://x.org/a"), NOW)
    assert time.process_time() - started < 5  # reading each comment walked the whole thread below it: ~10 s
    assert [c.number for c in comments] == list(range(1, 301))
    assert [c.parent for c in comments] == [None, *range(1, 300)]
    assert comments[299].body == "Reply 300." and comments[0].author == "Reader 1"
    assert comments[150].anchor == "comment-151"
