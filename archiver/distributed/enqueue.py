"""Start requests pushed once into the shared queue, through scrapy-redis's own queue and dupefilter."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import redis
from scrapy import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

from archiver.crawl.meta import EXEMPT
from archiver.crawl.sources import Source
from archiver.distributed.mirror import RedisState
from archiver.distributed.spider import DistributedArticlesSpider, dump_source
from archiver.distributed.state import Keys, crawl_state


class CrawlRunning(Exception):
    """A crawl cannot be reset while workers take part in it."""


@dataclass
class Enqueued:
    """What ``enqueue`` did."""

    queued: int
    already_seen: int
    sites: list[str]
    due: int = 0  # archived articles queued because the recrawl policy says they are due
    skipped: Counter[str] = field(default_factory=Counter)  # start requests the recrawl policy left out, by reason


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL, the unit of "a site" the workers follow."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class _Pusher:
    """Requests into the shared queue, each once per crawl (scrapy-redis's dupefilter)."""

    def __init__(self, server: redis.Redis, spider: DistributedArticlesSpider, keys: Keys) -> None:
        self.queue = PriorityQueue(server=server, spider=spider, key=keys.requests)
        self.seen = RFPDupeFilter(server, key=keys.dupefilter)
        self.queued = self.already_seen = 0

    def push(self, requests: Iterable[Request]) -> None:
        for request in requests:
            if self.seen.request_seen(request):
                self.already_seen += 1
            else:
                self.queue.push(request)
                self.queued += 1


def enqueue(server: redis.Redis, urls: list[str]) -> Enqueued:
    """Queue a request per URL not seen before in this crawl, and make their sites followed.

    The requests are the same the spider makes for its start URLs (callback ``parse``), serialized
    by scrapy-redis's queue with the spider's methods named, so any worker can run them.
    """
    spider = DistributedArticlesSpider()
    keys = Keys(spider.name)
    sites = sorted({origin(u) for u in urls})
    server.sadd(keys.sites, *sites)  # before the requests: a worker taking one must know its site
    pusher = _Pusher(server, spider, keys)
    pusher.push(Request(url, callback=spider.parse, errback=spider.failed) for url in urls)
    return Enqueued(pusher.queued, pusher.already_seen, sites)


def enqueue_sources(server: redis.Redis, sources: list[Source]) -> dict[str, Enqueued]:
    """Queue what a scheduled run of these sites starts from, per site, and store their rules.

    The spider's own start requests for a site (start pages, sitemaps, feeds, robots.txt), with
    the recrawl policy applied as a local run applies it, then the archived articles of the site
    that are due; what is archived comes from the drain's mirror. The site's domains, patterns,
    profile and policy go to ``<spider>:sources`` first, so a worker taking a request knows them.
    """
    spider = DistributedArticlesSpider()
    keys = Keys(spider.name)
    server.hset(keys.sources, mapping={s.name: dump_source(s) for s in sources})
    done: dict[str, Enqueued] = {}
    for source in sources:
        state = RedisState(server, keys, source.recrawl)
        pusher = _Pusher(server, spider, keys)
        skipped: Counter[str] = Counter()
        starts = [Request(url, callback=spider.parse, errback=spider.failed) for url in source.start_urls]
        wanted = []
        for request in [*starts, *spider.listing_requests(source)]:
            fetch, reason = (True, "") if request.meta.get(EXEMPT) else state.should_fetch(request.url)
            if fetch:
                wanted.append(request)
            else:
                skipped[reason] += 1
        pusher.push(wanted)
        due = [spider.page_request(url) for url in state.due_articles(source.domains())]
        pusher.push(due)
        done[source.name] = Enqueued(pusher.queued, pusher.already_seen, list(source.domains()), len(due), skipped)
    return done


def reset(server: redis.Redis) -> None:
    """Forget the previous crawl's queue, fingerprints and sites (not items waiting for the drain,
    nor the archive's mirror)."""
    keys = Keys()
    state = crawl_state(server, keys)
    if state.workers or state.in_flight:
        raise CrawlRunning(f"cannot start afresh while {state.workers} workers are crawling ({state.describe()})")
    server.delete(keys.requests, keys.dupefilter, keys.sites, keys.sources)
