"""Start URLs pushed once into the shared queue, through scrapy-redis's own queue and dupefilter."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import redis
from scrapy import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

from archiver.distributed.spider import DistributedArticlesSpider
from archiver.distributed.state import Keys, crawl_state


class CrawlRunning(Exception):
    """A crawl cannot be reset while workers take part in it."""


@dataclass
class Enqueued:
    """What ``enqueue`` did."""

    queued: int
    already_seen: int
    sites: list[str]


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL, the unit of "a site" the workers follow."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def enqueue(server: redis.Redis, urls: list[str]) -> Enqueued:
    """Queue a request per URL not seen before in this crawl, and make their sites followed.

    The requests are the same the spider makes for its start URLs (callback ``parse``), serialized
    by scrapy-redis's queue with the spider's methods named, so any worker can run them.
    """
    spider = DistributedArticlesSpider()
    keys = Keys(spider.name)
    sites = sorted({origin(u) for u in urls})
    server.sadd(keys.sites, *sites)  # before the requests: a worker taking one must know its site
    queue = PriorityQueue(server=server, spider=spider, key=keys.requests)
    seen = RFPDupeFilter(server, key=keys.dupefilter)
    queued = 0
    for url in urls:
        request = Request(url, callback=spider.parse, errback=spider.failed)
        if not seen.request_seen(request):
            queue.push(request)
            queued += 1
    return Enqueued(queued, len(urls) - queued, sites)


def reset(server: redis.Redis) -> None:
    """Forget the previous crawl's queue, fingerprints and sites (not items waiting for the drain)."""
    keys = Keys()
    state = crawl_state(server, keys)
    if state.workers or state.in_flight:
        raise CrawlRunning(f"cannot start afresh while {state.workers} workers are crawling ({state.describe()})")
    server.delete(keys.requests, keys.dupefilter, keys.sites)
