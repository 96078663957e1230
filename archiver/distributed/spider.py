"""The article spider as a worker: start requests come from the shared queue, sites from Redis."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy_redis import connection

from archiver.archive.recrawl import RecrawlPolicy
from archiver.crawl.sources import Source
from archiver.crawl.spiders.articles import ArticlesSpider
from archiver.crawl.spiders.scope import SiteRules
from archiver.distributed.state import Keys
from archiver.extract import Profile


def dump_source(source: Source) -> str:
    """A sources file's site as JSON, for ``<spider>:sources``."""
    return json.dumps(asdict(source), ensure_ascii=False)


def load_source(raw: bytes | str) -> Source:
    """A site stored by ``dump_source``."""
    data: dict[str, Any] = json.loads(raw)
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k != "recrawl"}
    return Source(**fields, recrawl=RecrawlPolicy(**data.get("recrawl", {})))


class DistributedArticlesSpider(ArticlesSpider):
    """ArticlesSpider whose start URLs were pushed by ``archiver enqueue`` into the shared queue.

    The sites to follow are those ``archiver enqueue`` stored in Redis: origins of plain start
    URLs (``articles:sites``) and sites of a sources file with their own domains, patterns,
    profile and recrawl policy (``articles:sources``), picked by a page's host. They are read
    when the spider opens, and again when a request for a host not known yet comes out of the
    queue (the scheduler calls ``check_host``), so a site enqueued while workers run is followed
    by all of them.
    Settings: those of ArticlesSpider, and ``REDIS_URL``.
    """

    needs_start_urls = False
    server: redis.Redis
    keys: Keys
    site_rules: list[SiteRules]
    unknown_profiles: set[str]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DistributedArticlesSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, DistributedArticlesSpider)
        spider.server = connection.from_settings(crawler.settings)
        spider.keys = Keys(cls.name)
        spider.site_rules = []
        spider.unknown_profiles = set()
        spider.depth_limited = True  # a sources file's site may have a depth limit whatever DEPTH_LIMIT says
        crawler.signals.connect(spider.read_sites, signal=signals.spider_opened)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        """Nothing of its own: every request comes from the shared queue."""
        return
        yield  # an async generator that yields nothing

    def read_sites(self) -> None:
        """Follow the sites stored in Redis."""
        origins = sorted(
            raw.decode() if isinstance(raw, bytes) else raw for raw in self.server.smembers(self.keys.sites)
        )
        sources = sorted((load_source(raw) for raw in self.server.hvals(self.keys.sources)), key=lambda s: s.name)
        self.start_urls = origins
        self.follow_hosts(origins)
        self.site_rules = [SiteRules.of(list(s.entry_urls), s) for s in sources]
        self.allowed_domains = sorted({*self.rules.domains, *(d for r in self.site_rules for d in r.domains)})

    def rules_for(self, url: str) -> SiteRules:
        """The rules of the sources file's site that covers url, else those of the plain start URLs."""
        return next((rules for rules in self.site_rules if rules.covers(url)), self.rules)

    def follows_links(self, rules: SiteRules) -> bool:
        """A sources file's site follows links unless its ``depth`` is 0; any other site unless the
        worker's ``--depth`` is 0."""
        return self.follow_links if rules.depth is None else rules.depth > 0

    def recrawl_policy(self, url: str) -> RecrawlPolicy | None:
        """The recrawl policy of url's site (sites of a sources file only)."""
        return self.rules_for(url).recrawl

    def check_host(self, request: Request) -> None:
        """Before a request from the queue is sent: a host not known yet means new sites; read them."""
        host = (urlsplit(request.url).hostname or "").lower()
        if not any(host == d or host.endswith(f".{d}") for d in self.allowed_domains):
            self.read_sites()

    def _profile(self, response: Response) -> Profile | None:
        """The site profile a sources file names for the page's site, else the one chosen by domain."""
        name = self.rules_for(response.url).profile
        named = [p for p in self.profiles if p.name == name] if name else []
        if name and not named and name not in self.unknown_profiles:
            self.unknown_profiles.add(name)
            self.crawler.stats.inc_value("archiver/spider/unknown_profile")
            self.logger.warning("no site profile named %r here (ARCHIVER_PROFILES_DIR): chosen by domain", name)
        return named[0] if named else super()._profile(response)
