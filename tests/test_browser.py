"""A person's path through `archiver serve` in a real headless browser (Debian's chromium, via Playwright).

Crawl the demo site, serve the archive, search it for a word of one article (the search box above the
column descriptions; a quote typed is text, not FTS syntax), follow that article to its comments,
then open the comment-thread query: the page must show the comments' texts.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archiver.demo import SiteServer
from tests.conftest import crawl_local, free_port, start_archiver, wait_for

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTICLE = "/blog/2019/11/winter-garden.html"


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError):
        return False


@pytest.fixture
def served(demo_site: SiteServer, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The demo site crawled into an archive, served by `archiver serve` on a free port; stopped after."""
    result = crawl_local(demo_site.url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    port = free_port()
    server = start_archiver("serve", "--db", "archive.db", "--port", str(port), cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _up(f"{base}/-/versions.json"), seconds=30), "archiver serve did not start"
        yield base, demo_site.url.rstrip("/")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate(timeout=30)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    """A page of Debian's chromium, headless, driven by Playwright (no browser download)."""
    from tests.conftest import require

    require(CHROMIUM.exists(), f"Debian's chromium ({CHROMIUM})")
    require(importlib.util.find_spec("playwright") is not None, "Playwright for Python")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            yield page
            page.screenshot(path=str(tmp_path / "last-page.png"), full_page=True)
        finally:
            browser.close()


def cells(page: Any, column: str) -> list[str]:
    """The texts of one column of the results table on the current page."""
    return [" ".join(t.split()) for t in page.locator(f"table.rows-and-columns td.col-{column}").all_inner_texts()]


def test_search_then_read_the_comments(served: tuple[str, str], page: Any, demo_expected: dict[str, Any]) -> None:
    base, site = served
    expected = demo_expected[ARTICLE]
    page.goto(f"{base}/archive/articles")
    page.fill("input[name=_search]", "nasturtiums")
    page.press("input[name=_search]", "Enter")
    page.wait_for_url("**_search=nasturtiums**")
    assert cells(page, "title") == [expected["title"]]
    search_box = page.locator("#_search").bounding_box()
    assert search_box["y"] < page.locator("dl.column-descriptions").bounding_box()["y"]  # search and rows first

    page.fill("#_search", '"')  # not FTS syntax: a word search that finds nothing, no error page
    page.press("#_search", "Enter")
    page.wait_for_url("**_search=%22**")
    assert page.locator("p.zero-results").count() == 1
    page.fill("#_search", '"nasturtiums (')
    page.press("#_search", "Enter")
    page.wait_for_url("**_search=%22nasturtiums**")
    assert cells(page, "title") == [expected["title"]]

    page.locator("table.rows-and-columns td.col-id a").first.click()  # the article's own page
    page.locator("a[href*='comments?article_id=']").click()  # "4 rows from article_id in comments"
    page.wait_for_url("**/archive/comments?article_id=*")
    shown = " ".join(page.inner_text("table.rows-and-columns").split())
    for comment in expected["comments"]:
        assert " ".join(comment["body"].split()) in shown, comment["number"]

    page.goto(f"{base}/archive/article_comments")  # the thread query, given the article's URL
    page.fill("input[name=article]", site + ARTICLE)
    page.click("input[type=submit]")
    page.wait_for_url("**article_comments?article=*")
    threaded = ["→" * (c["parent"] is not None) + f"#{c['number']}" for c in expected["comments"]]
    assert cells(page, "thread") == threaded
    assert cells(page, "body") == [" ".join(c["body"].split()) for c in expected["comments"]]
