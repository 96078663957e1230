"""Requests waiting to be fetched wait on disk, in a temporary folder removed at the end, written cheaply."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import FormRequest, Request
from scrapy.pqueues import ScrapyPriorityQueue
from scrapy.utils.test import get_crawler

from archiver.crawl.scheduler import SpiderRequestsDiskQueue, request_dict
from archiver.crawl.spiders.articles import ArticlesSpider, CommentPages
from archiver.demo import SiteServer
from archiver.items import Article
from tests.conftest import crawl_local, rows


def _crawl(site: SiteServer, workdir: Path, *settings: str) -> tuple[dict[str, Any], Path]:
    """Crawl the demo site with TMPDIR in the work folder; the crawl's stats and that folder."""
    temp = workdir / "tmp"
    temp.mkdir(parents=True)
    result = crawl_local(site.url, *settings, cwd=workdir, env={"TMPDIR": str(temp)})
    assert result.returncode == 0, result.stderr + result.stdout
    (stats,) = rows(workdir / "archive.db", "SELECT stats FROM crawls")
    return json.loads(stats[0]), temp


def test_the_queue_waits_on_disk_and_is_removed_at_the_end(demo_site: SiteServer, tmp_path: Path) -> None:
    stats, temp = _crawl(demo_site, tmp_path)
    assert stats["scheduler/enqueued"] > 10
    assert stats["scheduler/enqueued/disk"] == stats["scheduler/enqueued"]  # every request could be pickled
    assert "scheduler/unserializable" not in stats
    assert stats["item_scraped_count"] > 0
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("value", ["False", "0"])
def test_the_queue_can_stay_in_memory(demo_site: SiteServer, tmp_path: Path, value: str) -> None:
    stats, temp = _crawl(demo_site, tmp_path, "-s", f"ARCHIVER_DISK_QUEUE={value}")
    assert stats["scheduler/enqueued/memory"] == stats["scheduler/enqueued"] > 10
    assert "scheduler/enqueued/disk" not in stats
    assert list(temp.iterdir()) == []


class CountingSpider(ArticlesSpider):
    """The crawl's spider with one attribute that counts its reads (``inspect.getmembers`` reads them all)."""

    reads = 0

    @property
    def looked_at(self) -> int:
        type(self).reads += 1
        return 0

    def not_a_callback(self, response: Any) -> None:
        """A method named differently on the spider below."""

    renamed = not_a_callback


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[tuple[SpiderRequestsDiskQueue, ArticlesSpider]]:
    """The crawl's disk queue, of a spider counting the reads of one of its attributes."""
    crawler = get_crawler(CountingSpider)
    spider = CountingSpider.from_crawler(crawler, url="http://127.0.0.1:9/")
    crawler.spider = spider
    disk = SpiderRequestsDiskQueue.from_crawler(crawler, str(tmp_path / "queue"))
    yield disk, spider
    disk.close()


def not_a_method(response: Any) -> None:
    """A callback that is no spider's method."""


def _requests(spider: ArticlesSpider) -> list[Request]:
    """The kinds of request the spider queues: a link, a start page, a comment page, a rendering."""
    link = spider.page_request("http://127.0.0.1:9/2026/a-ferry/", lastmod="2026-12-01T10:00:00+00:00")
    link.meta["depth"] = 2
    start = Request("http://127.0.0.1:9/", callback=spider.parse, errback=spider.failed, dont_filter=True)
    comments = spider._next_comment_page(
        CommentPages(Article(url="http://127.0.0.1:9/a"), pending=["http://127.0.0.1:9/a?cpage=2"], seen=set())
    )
    plain = Request("http://127.0.0.1:9/plain", headers={"Accept": "text/html"}, priority=3)
    form = FormRequest("http://127.0.0.1:9/search", formdata={"q": "ferry"}, callback=spider.parse_feed)
    return [link, start, comments, plain, form]


def test_the_disk_queue_writes_what_scrapy_writes_without_reading_every_spider_attribute(
    queue: tuple[SpiderRequestsDiskQueue, ArticlesSpider],
) -> None:
    """Scrapy names a request's callback by listing all the spider's members (reading each of its
    attributes) for every request it queues; the crawl's queue writes the same dict without that."""
    disk, spider = queue
    requests = _requests(spider)
    expected = [r.to_dict(spider=spider) for r in requests]
    CountingSpider.reads = 0
    assert [request_dict(r, spider) for r in requests] == expected
    for request in requests:
        disk.push(request)
    assert CountingSpider.reads == 0
    popped = [disk.pop() for _ in requests][::-1]  # last in, first out
    assert [r.to_dict(spider=spider) for r in popped if r is not None] == expected
    assert type(popped[-1]) is FormRequest
    assert popped[2] is not None and popped[2].cb_kwargs["state"].article.url == "http://127.0.0.1:9/a"


def test_a_callback_not_named_as_on_the_spider_takes_scrapys_way(
    queue: tuple[SpiderRequestsDiskQueue, ArticlesSpider],
) -> None:
    disk, spider = queue
    aliased = Request("http://127.0.0.1:9/x", callback=spider.renamed)
    assert request_dict(aliased, spider) == aliased.to_dict(spider=spider)  # found by Scrapy's listing
    elsewhere = Request("http://127.0.0.1:9/y", callback=not_a_method)
    with pytest.raises(ValueError, match="not an instance method"):  # kept in memory by Scrapy's scheduler
        disk.push(elsewhere)


def test_the_newest_requests_wait_in_memory_in_the_files_order(
    queue: tuple[SpiderRequestsDiskQueue, ArticlesSpider],
) -> None:
    """A request popped while it is among the last ``IN_MEMORY`` pushed is the one pushed (never
    written, read and made again); the order is last in, first out across memory and file."""
    disk, spider = queue
    count = SpiderRequestsDiskQueue.IN_MEMORY + 40
    requests = [spider.page_request(f"http://127.0.0.1:9/{n}/") for n in range(count)]
    for request in requests:
        disk.push(request)
    assert len(disk) == count
    popped = [disk.pop() for _ in range(count)]
    assert disk.pop() is None and len(disk) == 0
    assert [r.url for r in popped if r is not None] == [r.url for r in reversed(requests)]
    kept = SpiderRequestsDiskQueue.IN_MEMORY
    assert all(p is r for p, r in zip(popped[:kept], reversed(requests), strict=False))
    assert not any(p is r for p, r in zip(popped[kept:], reversed(requests[:40]), strict=True))  # from the file
    assert [p.to_dict(spider=spider) for p in popped if p is not None] == [
        r.to_dict(spider=spider) for r in reversed(requests)
    ]


def test_a_closed_queue_writes_the_requests_in_memory_to_its_file(tmp_path: Path) -> None:
    """A paused crawl (``JOBDIR``) resumes with every request it had queued, in the same order."""
    crawler = get_crawler(ArticlesSpider)
    spider = ArticlesSpider.from_crawler(crawler, url="http://127.0.0.1:9/")
    crawler.spider = spider
    first = SpiderRequestsDiskQueue.from_crawler(crawler, str(tmp_path / "queue"))
    requests = [spider.page_request(f"http://127.0.0.1:9/{n}/") for n in range(SpiderRequestsDiskQueue.IN_MEMORY + 3)]
    for request in requests:
        first.push(request)
    assert first.pop() is requests[-1]
    first.close()
    again = SpiderRequestsDiskQueue.from_crawler(crawler, str(tmp_path / "queue"))
    assert len(again) == len(requests) - 1
    resumed = [again.pop() for _ in range(len(requests) - 1)]
    assert [r.url for r in resumed if r is not None] == [r.url for r in reversed(requests[:-1])]
    assert again.pop() is None
    again.close()
    assert not (tmp_path / "queue").exists()  # an empty queue leaves no file, as Scrapy's


def _host_queues(tmp_path: Path) -> tuple[ArticlesSpider, Callable[[str], ScrapyPriorityQueue]]:
    """One crawler's spider, and its scheduler's queue of a host (a priority queue of disk queues, one a
    priority), as Scrapy's ``DownloaderAwarePriorityQueue`` keeps one a host."""
    crawler = get_crawler(ArticlesSpider)
    spider = ArticlesSpider.from_crawler(crawler, url="http://127.0.0.1:9/")
    crawler.spider = spider
    queues: dict[str, ScrapyPriorityQueue] = {}

    def of(host: str) -> ScrapyPriorityQueue:
        if host not in queues:
            queues[host] = ScrapyPriorityQueue.from_crawler(
                crawler, SpiderRequestsDiskQueue, str(tmp_path / "queue" / host), ()
            )
        return queues[host]

    return spider, of


def _shuffled_crawl(tmp_path: Path, hosts: int) -> list[tuple[str, int]]:
    """20,000 requests pushed over ``hosts`` hosts and 5 priorities, popped now and then from a host
    chosen at random, then all: the (URL, priority) of each, in the order popped."""
    spider, of = _host_queues(tmp_path)
    chance = random.Random(7)
    waiting: dict[str, int] = {}
    popped: list[tuple[str, int]] = []

    def pop_one() -> None:
        host = chance.choice(sorted(waiting))
        request = of(host).pop()
        assert request is not None
        popped.append((request.url, request.priority))
        waiting[host] -= 1
        if not waiting[host]:
            del waiting[host]

    for n in range(20_000):
        host = f"h{chance.randrange(hosts)}"
        request = spider.page_request(f"http://{host}.example/{n}/")
        request.priority = chance.choice([-2, -1, 0, 0, 0, 1, 2])
        of(host).push(request)
        waiting[host] = waiting.get(host, 0) + 1
        if chance.random() < 0.3:
            pop_one()
    while waiting:
        pop_one()
    return popped


@pytest.mark.parametrize("hosts", [1, 200])
def test_requests_in_memory_keep_the_order_of_the_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hosts: int
) -> None:
    """Many queues sharing the memory, pushes and pops mixed: each request comes out when it would
    with every request written to its file (``IN_MEMORY = 0``), last in, first out by priority."""
    monkeypatch.setattr(SpiderRequestsDiskQueue, "IN_MEMORY", 0)
    on_disk = _shuffled_crawl(tmp_path / "disk", hosts)
    monkeypatch.setattr(SpiderRequestsDiskQueue, "IN_MEMORY", 256)
    assert _shuffled_crawl(tmp_path / "memory", hosts) == on_disk
    assert len(on_disk) == 20_000


def test_one_crawlers_queues_hold_at_most_in_memory_requests_together(tmp_path: Path) -> None:
    """A crawl of many hosts, as many queues (one a host and priority), holds ``IN_MEMORY`` requests
    in memory in all, not that many a queue; each one comes back, in its queue newest first."""
    spider, of = _host_queues(tmp_path)
    hosts = [f"h{n}" for n in range(50)]
    pushed: dict[str, list[tuple[int, int]]] = {host: [] for host in hosts}
    held = []
    for n in range(6_000):
        host = hosts[n % 50]
        request = spider.page_request(f"http://{host}.example/{n}/")
        request.priority = n // 50 % 3
        of(host).push(request)
        pushed[host].append((request.priority, n))
        held.append(sum(len(disk.newest) for h in hosts[: n + 1] for disk in of(h).queues.values()))
    assert max(held) == held[-1] == SpiderRequestsDiskQueue.IN_MEMORY  # 150 queues: not 150 x 256
    for host in hosts:
        popped = []
        while (request := of(host).pop()) is not None:
            popped.append((request.priority, int(request.url.rstrip("/").rsplit("/", 1)[1])))
        assert popped == sorted(pushed[host], reverse=True)  # the highest priority first, then the newest
