"""Comments a widget renders into an open shadow root (OpenWeb does), read from the page as real
Chromium rendered it: the renderer inlines open shadow roots (declarative shadow DOM) into the
document it hands to the extractor and to the WARC files, and clicks a "Show more comments" control
inside one. A real `archiver crawl` process, real servers on two 127.0.0.1 origins (the article's and
the widget script's), a real archive. The expected comments were written from the widget script's
data (tests/fixtures/render-shadow/widget/launcher.js).
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from archiver.demo import SiteServer
from archiver.warc.reader import read_exchange
from tests.conftest import LOCAL_CRAWL_FLAGS, require, rows, run_archiver

FIXTURES = Path(__file__).parent / "fixtures" / "render-shadow"
CHROMIUM = Path("/usr/bin/chromium")
#: A crawl of this machine's servers with rendering on, each page within 10 seconds.
RENDER = (*LOCAL_CRAWL_FLAGS, "-s", "ARCHIVER_RENDER_COMMENTS=auto", "-s", "ARCHIVER_RENDER_TIMEOUT=10")


@pytest.fixture
def openweb_site() -> Iterator[str]:
    """The article on one 127.0.0.1 origin, its widget's script on another; the article's URL."""
    with SiteServer(FIXTURES / "widget") as widget:
        origin = widget.url.rstrip("/")
        with SiteServer(FIXTURES / "site", replacements={"{{openweb-origin}}": origin}) as site:
            yield f"{site.url}winter-cycling.html"


def test_comments_in_an_open_shadow_root_are_archived(tmp_path: Path, openweb_site: str) -> None:
    require(CHROMIUM.exists(), f"Debian's chromium ({CHROMIUM})")
    require(importlib.util.find_spec("scrapy_playwright") is not None, "scrapy-playwright")
    crawl = run_archiver("crawl", openweb_site, "--db", "archive.db", "--depth", "0", *RENDER, cwd=tmp_path)
    assert crawl.returncode == 0, crawl.stderr
    db = tmp_path / "archive.db"
    found = rows(db, "SELECT number, author, published, parent, body FROM comments ORDER BY number")
    assert [tuple(r) for r in found] == [
        (1, "Mina Kovač", "2024-01-09T07:41:00", None, "Studs made all the difference for me on the canal path."),
        (2, "Pavel", "2024-01-09T12:05:00", 1, "Which brand of studded tyre do you ride?"),
        (3, "annaleigh", "2024-02-02T18:20:00", None, "A dynamo light never runs out of battery in the cold."),
    ]  # the third behind "Show More Comments", a button in the shadow root
    (article,) = rows(db, "SELECT comments_status, provenance, comment_captures FROM articles")
    assert article["comments_status"] == "present"
    assert json.loads(article["provenance"])["comments"] == "rendered"
    # the captured document holds the shadow root as declarative shadow DOM, which a browser shows again
    (record,) = json.loads(article["comment_captures"])
    (capture,) = rows(db, "SELECT * FROM captures WHERE record_id = ?", (record,))
    payload = read_exchange(tmp_path / capture["warc_file"], capture["offset"]).payload.decode("utf-8")
    assert '<template shadowrootmode="open">' in payload and "annaleigh" in payload
