"""Which pages a crawl follows on a site: its domains, its include and exclude patterns.

A plain crawl has one set of rules, from its start URLs' hosts; a site of a sources file has
its own (``allowed_domains``, ``include``, ``exclude``, a forced site profile, a recrawl policy).
A worker of a distributed crawl holds the rules of every site it was given and picks them by the
page's host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from scrapy.linkextractors import LinkExtractor

from archiver.archive.recrawl import RecrawlPolicy
from archiver.crawl.sources import Source
from archiver.extract.links import LinkRules
from archiver.extract.pagination import NOT_AN_ARTICLE_URL


@dataclass
class SiteRules:
    """The hosts (``www.`` removed) and URL patterns a crawl follows on one site or set of sites."""

    domains: tuple[str, ...]
    netlocs: tuple[str, ...] = ()  # the same hosts with their ports, as LinkExtractor compares them
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    profile: str = ""  # a site profile by name ("": chosen by domain)
    recrawl: RecrawlPolicy | None = None  # the recrawl policy of a sources file's site
    name: str = ""
    # a sources file's politeness and depth for the site (None: the crawl's own settings)
    depth: int | None = None
    delay: float | None = None
    concurrency: int | None = None

    def __post_init__(self) -> None:
        self.includes = [re.compile(p) for p in self.include]
        self.excludes = [re.compile(p) for p in (*self.exclude, NOT_AN_ARTICLE_URL.pattern)]

    @classmethod
    def of(cls, urls: list[str] | tuple[str, ...], source: Source | None = None) -> SiteRules:
        """The rules of a crawl from these URLs: their hosts, or the source's allowed domains and patterns."""
        hosts = {(urlsplit(u).hostname or "").removeprefix("www.") for u in urls}
        if source is not None and source.allowed_domains:
            hosts = set(source.allowed_domains)
        netlocs = {urlsplit(u).netloc.lower().removeprefix("www.") for u in urls}
        if source is None:
            return cls(tuple(sorted(hosts)), tuple(sorted(netlocs)))
        return cls(
            tuple(sorted(hosts)),
            tuple(sorted(netlocs)),
            source.include,
            source.exclude,
            source.profile,
            source.recrawl,
            source.name,
            source.depth,
            source.delay,
            source.concurrency,
        )

    @cached_property
    def follow(self) -> LinkRules:
        """The links of a page to follow, as the extraction workers read them from the parsed page."""
        return LinkRules(
            allow=self.include or (r"^https?://",),  # web pages only: no ftp:, file:, data: or mail links
            deny=(*self.exclude, NOT_AN_ARTICLE_URL.pattern),
            domains=tuple(sorted(set(self.domains) | set(self.netlocs))),
        )

    @cached_property
    def links(self) -> LinkExtractor:
        """The same rules as Scrapy's link extractor, for a page the workers gave up on."""
        rules = self.follow
        return LinkExtractor(allow=list(rules.allow), allow_domains=list(rules.domains), deny=list(rules.deny))

    def covers(self, url: str) -> bool:
        """url's host is one of the domains or a subdomain of one."""
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def in_scope(self, url: str) -> bool:
        """A listed URL on the domains, matching the include and exclude patterns."""
        if not self.covers(url):
            return False
        if self.includes and not any(p.search(url) for p in self.includes):
            return False
        return not any(p.search(url) for p in self.excludes)
