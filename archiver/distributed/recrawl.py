"""Conditional requests and the recrawl policy in a worker, from the drain's mirror in Redis.

The same middlewares as a local crawl's, with the archive's lookups answered by
``archiver.distributed.mirror.RedisState`` instead of the SQLite file the worker never opens.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy_redis import connection

from archiver.archive.recrawl import RecrawlPolicy, RecrawlState
from archiver.distributed.mirror import RedisState
from archiver.distributed.state import Keys
from archiver.extensions.conditional import ConditionalRequests
from archiver.extensions.recrawl import Recrawl


class RedisConditionalRequests(ConditionalRequests):
    """ConditionalRequests reading validators from ``<spider>:fetches`` and ``<spider>:archived``.

    Settings: ``ARCHIVER_CONDITIONAL_ENABLED``, ``REDIS_URL``.
    """

    @classmethod
    def validator_source(cls, crawler: Crawler) -> RecrawlState:
        return RedisState(connection.from_settings(crawler.settings), Keys(crawler.spidercls.name))


class RedisRecrawl(Recrawl):
    """Recrawl for the sites of a sources file (``archiver enqueue --sources``), each with its policy.

    A URL on no such site is always fetched (``archiver/recrawl/fetch/unscheduled``). The due
    articles are queued by ``archiver enqueue --sources``, once for all workers, not here.
    Settings: ``ARCHIVER_RECRAWL_ENABLED`` (on in workers), ``REDIS_URL``.
    """

    adds_due_articles = False

    @classmethod
    def recrawl_state(cls, crawler: Crawler, policy: RecrawlPolicy) -> RecrawlState:
        def policy_for(url: str) -> RecrawlPolicy | None:
            site = getattr(crawler.spider, "recrawl_policy", None)
            found = site(url) if site is not None else None
            return RecrawlPolicy(found.fresh_days, found.interval_days) if found is not None else None

        return RedisState(connection.from_settings(crawler.settings), Keys(crawler.spidercls.name), policy, policy_for)
