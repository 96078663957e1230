"""Stopping a polite crawl: the requests waiting for their turn in a site's download slot are not
sent; a run with a job folder keeps them for the next run, which fetches them (nothing lost, nothing twice)."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from archiver.archive.recrawl import ArticleRow, FetchRow, RecrawlState
from archiver.crawl.meta import CONDITIONAL
from archiver.crawl.middlewares.conditional import ConditionalRequests, without_validators
from archiver.crawl.runner import hold_back
from archiver.crawl.signals import NotSent
from tests.changing_site import ChangingSite
from tests.conftest import NO_DELAY, NO_RENDER, interrupt, rows, run_archiver

#: the delay exactly as asked: Scrapy's random 0.5-1.5 times it could let a second page go mid-stop
_EXACT_DELAY = ("-s", "RANDOMIZE_DOWNLOAD_DELAY=False")


def test_sigterm_sends_no_request_still_waiting_for_its_delay_and_the_next_run_fetches_them(tmp_path: Path) -> None:
    with ChangingSite(articles=20, fresh=0) as site:
        polite = site.sources_toml().replace("delay = 0", "delay = 2").replace("concurrency = 8", "concurrency = 1")
        (tmp_path / "sources.toml").write_text(polite)
        crawl = ("crawl", "--sources", "sources.toml", "--no-warc", *NO_RENDER)
        asked = []  # what the site had been asked when the signal went
        # the home page, robots.txt and listings fetched: story pages wait in the slot, 2 s apart
        code, out, err = interrupt(
            (*crawl, *_EXACT_DELAY),
            tmp_path,
            lambda: sum(p.startswith("/news/") for p in site.fetched()) >= 2,
            signal.SIGTERM,
            seconds=90,
            before=lambda: asked.append(len(site.fetched())),
        )
        assert code == 143, out + err
        assert len(site.fetched()) <= asked[0] + 1, site.fetched()[asked[0] :]  # at most the one being sent
        assert "resumes on the next run" in out

        site.log.clear()
        second = run_archiver(*crawl, *NO_DELAY, cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert "resumed where the last run stopped: river" in second.stdout
    fetched = Counter(p for p in site.fetched(200) if p.startswith("/news/"))
    assert max(fetched.values()) == 1, fetched
    assert rows(tmp_path / "archive.db", "SELECT count(*) FROM articles")[0][0] == 20
    assert rows(tmp_path / "archive.db", "SELECT count(*) FROM fetches WHERE error LIKE '%NotSent%'")[0][0] == 0


def test_requests_held_for_robots_txt_when_the_crawl_stops_are_not_sent_either(tmp_path: Path) -> None:
    with ChangingSite(articles=3, fresh=0) as site:
        site.slow["/robots.txt"] = 4  # the start pages wait for it in the robots.txt middleware
        (tmp_path / "sources.toml").write_text(site.sources_toml().replace("delay = 0", "delay = 2"))
        crawl = ("crawl", "--sources", "sources.toml", "--no-warc", *NO_RENDER)
        code, out, err = interrupt(
            (*crawl, *_EXACT_DELAY), tmp_path, lambda: "/robots.txt" in site.asked, signal.SIGTERM, seconds=90
        )
        assert code == 143, out + err
        # robots.txt answered, the home page, sitemap and feed reach their slot: the one whose turn it
        # is may go, the others (one a delay) are not sent
        after = [p for p in site.asked if p != "/robots.txt"]
        assert len(after) <= 1, after

        second = run_archiver(*crawl, *NO_DELAY, cwd=tmp_path)
        assert second.returncode == 0, second.stderr
    assert rows(tmp_path / "archive.db", "SELECT count(*) FROM articles")[0][0] == 3


class _Archived(RecrawlState):
    """A state in which every URL is an archived article fetched with both validators."""

    def fetch(self, url: str) -> FetchRow | None:
        return FetchRow(200, '"v1"', "Mon, 07 Dec 2026 10:00:00 GMT", "2026-12-07T10:00:00+00:00")

    def article(self, canonical_url: str) -> ArticleRow | None:
        return ArticleRow(canonical_url, None, None)

    def articles(self) -> Iterator[ArticleRow]:
        return iter(())


@pytest.mark.parametrize("handled", [None, [404]])
def test_a_request_queued_again_carries_none_of_the_validators_of_its_run(handled: list[int] | None) -> None:
    crawler = get_crawler()
    crawler.stats = StatsCollector(crawler)
    middleware = ConditionalRequests(_Archived(), crawler.stats)
    request = Request("https://example.org/news/1", meta={"handle_httpstatus_list": handled} if handled else {})
    middleware.process_request(request)
    assert request.headers.get("If-None-Match") and request.meta[CONDITIONAL]  # what a sent one carries

    queued = without_validators(request)
    assert b"If-None-Match" not in queued.headers and b"If-Modified-Since" not in queued.headers
    assert CONDITIONAL not in queued.meta
    assert queued.meta.get("handle_httpstatus_list") == handled
    middleware.process_request(queued)  # the next run's middleware decides again, with its own
    assert queued.headers.get("If-None-Match") == b'"v1"' and queued.meta["handle_httpstatus_list"] == [
        *(handled or []),
        304,
    ]


def test_a_request_the_queue_cannot_take_is_still_failed_and_the_rest_too() -> None:
    def full_disk(request: Request) -> None:
        raise OSError(28, "No space left on device")

    crawler = get_crawler()
    stats = StatsCollector(crawler)
    waiting: list[tuple[Request, Deferred[Response]]] = [
        (Request(f"https://example.org/news/{n}"), Deferred()) for n in range(3)
    ]
    failures: list[Failure] = []
    for _, sent in waiting:
        sent.addErrback(failures.append)
    hold_back(waiting, full_disk, stats)
    assert [f.check(NotSent) for f in failures] == [NotSent] * 3  # the engine waits on none of them
    assert stats.get_value("archiver/stop/lost") == 3 and stats.get_value("archiver/stop/not_sent") == 3
