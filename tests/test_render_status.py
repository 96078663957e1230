"""A page's comment status "script": an empty comment area that a script (or a frame) fills.

Rendering in a browser is tried only for these pages and external:<service> ones; these tests
need no browser.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.demo import SITE_DIR
from archiver.demo.widgets import PLACEHOLDER
from archiver.extract import load_page
from archiver.extract.comments import extract_comments
from archiver.extract.structured import read_structured

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
SCRIPT = "<script src='/widget.js' async></script>"


def status(html: str) -> str:
    page = load_page(f"<html><body><article><p>Story.</p></article>{html}</body></html>", "https://x.org/a")
    return extract_comments(page, read_structured(page.tree), NOW).status


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (f"<div id='comments'></div>{SCRIPT}", "script"),  # an empty area, and a script
        (f"<section class='comments'><h2>Comments</h2><div data-thread='a'></div></section>{SCRIPT}", "script"),
        ("<div id='comments'><button>Show comments</button></div><script>load()</script>", "script"),
        ("<div class='comments'><iframe src='https://c.example/thread/1'></iframe></div>", "script"),  # a frame
        ("<div id='comments'></div>", "none"),  # no script: nothing will fill it
        (f"<div id='comments'><p>No comments yet. Be the first.</p></div>{SCRIPT}", "none"),
        (f"<div id='comments'></div><p>Comments are closed.</p>{SCRIPT}", "closed"),
        (f"<div id='comment-form'></div>{SCRIPT}", "none"),  # the form, not the area
        (f"<span class='comment-count'></span>{SCRIPT}", "none"),
        # WordPress with no comment yet: the area holds the comment form only
        (
            f"<div id='comments'><div id='respond'><h3>Leave a reply</h3><form><textarea></textarea></form></div></div>"
            f"{SCRIPT}",
            "none",
        ),
        (f"<svg><path id='comments-outline' d='M12,2Z'></path></svg>{SCRIPT}", "none"),  # an icon
        (f"<div id='nav-commented' class='tab-pane'></div>{SCRIPT}", "none"),  # the most commented articles
    ],
)
def test_status_of_an_area_a_script_fills(html: str, expected: str) -> None:
    assert status(html) == expected


LIVE = ["harbour-pier", "orchard-frost", "ferry-timetable", "lighthouse-lamp"]


@pytest.mark.parametrize("name", LIVE)
def test_the_demo_pages_comments_load_by_script(name: str) -> None:
    html = (SITE_DIR / "live" / f"{name}.html").read_text(encoding="utf-8")
    page = load_page(html.replace(PLACEHOLDER, "http://127.0.0.1:9"), f"http://127.0.0.1:8/live/{name}.html")
    found = extract_comments(page, read_structured(page.tree), NOW)
    assert (found.comments, found.status) == ([], "script")


def test_the_live_pages_are_linked_from_the_demo_site() -> None:
    """A crawl of the demo site reaches them (``archiver demo`` serves their comment service beside it)."""
    assert 'href="/live/index.html"' in (SITE_DIR / "index.html").read_text(encoding="utf-8")
    index = (SITE_DIR / "live" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="/live/{name}.html"' in index for name in LIVE)
