"""The generic article spider: start pages, links within their sites, one Article per article."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archiver.crawl.hashing import read_page_hashed
from archiver.crawl.meta import CAPTURE, EXEMPT, FRAME_CAPTURES, LASTMOD, RECORD, RENDER, RENDERED_FROM, UNCONDITIONAL
from archiver.crawl.pool import ExtractionFailed, ExtractionWorkers, extract_processes
from archiver.crawl.render import FRAMES, Document, RenderPolicy, use_browser
from archiver.crawl.signals import fetch_failed
from archiver.crawl.sources import Source, SourcesError, load_sources
from archiver.crawl.spiders.discovery import Listing, parse_feed, parse_sitemap, sitemaps_in_robots
from archiver.crawl.spiders.scope import SiteRules
from archiver.extract import THREAD, PageResult, Profile, load_profiles, profile_for, read_comment_page, read_page
from archiver.extract.pagination import (
    comment_page_number,
    main_page_number,
    merge_comments,
)
from archiver.extract.rendered import read_rendered
from archiver.items import Article, Comment
from archiver.settings import read_setting
from archiver.urls import is_http_url, read_urls_file

T = TypeVar("T")
_CRAWL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def _content_type(response: Response) -> str | None:
    """The Content-Type header: the workers decode the bytes as a browser would (a wrong charset detected)."""
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1") if value else None


@dataclass
class CommentPages:
    """An article waiting for the rest of its comment pages."""

    article: Article
    pending: list[str]
    seen: set[str]
    collected: list[tuple[int, list[Comment]]] = field(default_factory=list)


class ArticlesSpider(Spider):
    """Crawls from start URLs (``-a url=...``, comma-separated, or ``-a urls_file=...``), or from
    one site of a sources file (``-a sources=FILE -a source=NAME``: start pages, sitemaps, feeds).

    Follows links on the start URLs' hosts up to ``DEPTH_LIMIT`` and yields an Article for
    every page that is an article, with the comments of all its comment pages merged in.
    Pages are extracted in worker processes (``archiver.crawl.pool``). Settings:
    ``ARCHIVER_EXTRACT_MIN_WORDS``, ``ARCHIVER_EXTRACT_PROCESSES``, ``ARCHIVER_EXTRACT_TIMEOUT``,
    ``ARCHIVER_COMMENTS_MAX_PAGES``, ``ARCHIVER_PROFILES_DIR``, and rendering's
    (``archiver.crawl.render``): an article whose comments load by script is fetched once more,
    in headless Chromium, and its comments read from the rendered documents.
    """

    name = "articles"
    #: False for a spider whose start URLs come from elsewhere (a Redis queue).
    needs_start_urls = True

    def __init__(
        self,
        url: str = "",
        urls_file: str = "",
        crawl_id: str = "",
        sources: str = "",
        source: Source | str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if isinstance(source, str) and source:
            source = _source_named(sources, source)
        self.source: Source | None = source if isinstance(source, Source) else None
        urls = [u.strip() for u in url.split(",") if u.strip()]
        if urls_file:
            urls += read_urls_file(urls_file)
        bad = [u for u in urls if not is_http_url(u)]
        if bad:
            raise ValueError(f"not an http(s) URL: {bad[0]!r}")
        if self.source is not None:
            urls += list(self.source.start_urls)
        elif not urls and self.needs_start_urls:
            raise ValueError("no start URL: pass -a url=URL, -a urls_file=FILE or -a sources=FILE -a source=NAME")
        self.start_urls = urls
        if crawl_id and not _CRAWL_ID.fullmatch(crawl_id):  # it names files under the exports folder
            raise ValueError(f"crawl_id {crawl_id!r}: use letters, digits, '.', '_' and '-' only")
        self.crawl_id = crawl_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.failures: list[str] = []
        self.depth_limited = True
        self.follow_links = True  # False: the start pages only (``--depth 0``)
        self._followed: dict[str, int] = {}  # link URL -> the least depth of a page it was followed from
        self.min_words = 60
        #: what the workers run on a page: read_page, or with the article's archive hashes (from_crawler)
        self.read_page: Callable[..., PageResult] = read_page
        self.max_comment_pages = 50
        self.profiles: tuple[Profile, ...] = ()
        self.forced_profile: Profile | None = None
        self.workers = ExtractionWorkers(0, 60.0)
        self.rendering = RenderPolicy()
        self.follow_hosts([*urls, *(self.source.entry_urls if self.source else ())])

    def follow_hosts(self, urls: list[str]) -> None:
        """Follow links (and allow requests) on the hosts of these URLs only (or the source's
        allowed domains when it lists them)."""
        self.rules = SiteRules.of(urls, self.source)
        self.allowed_domains = list(self.rules.domains)

    def rules_for(self, url: str) -> SiteRules:
        """The rules of the site a page belongs to (one site per crawl here)."""
        return self.rules

    def follows_links(self, rules: SiteRules) -> bool:
        """Whether the links of a page on this site are followed: not under ``--depth 0`` (the crawl's
        settings say it) nor on a sources file's site of ``depth = 0``."""
        return self.follow_links

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """The project's settings, and the browser's download handler when rendering is on."""
        super().update_settings(settings)
        use_browser(settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArticlesSpider:
        spider: ArticlesSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.rendering = RenderPolicy.from_settings(settings)
        if spider.rendering.missing_browser:
            spider.logger.warning(
                "no Chromium at %r: comments that load by script are not rendered (their status stays)",
                read_setting(settings, "ARCHIVER_RENDER_CHROMIUM"),
            )
        spider.min_words = read_setting(settings, "ARCHIVER_EXTRACT_MIN_WORDS")
        # the archive's hashes of each article, computed in the workers, where this crawl has an archive
        # (a worker of a distributed crawl has none: its items go to Redis, and the drain hashes them)
        spider.read_page = read_page_hashed if read_setting(settings, "ARCHIVER_ARCHIVE_PATH") else read_page
        spider.max_comment_pages = read_setting(settings, "ARCHIVER_COMMENTS_MAX_PAGES")
        spider.depth_limited = settings.getint("DEPTH_LIMIT") > 0
        # a sources file's site of depth 0 (under Scrapyd too, where the site's settings are not passed)
        spider.follow_links = read_setting(settings, "ARCHIVER_FOLLOW_LINKS") and not (
            spider.source is not None and spider.source.depth == 0
        )
        spider.profiles = load_profiles(read_setting(settings, "ARCHIVER_PROFILES_DIR") or None)
        if spider.source is not None and spider.source.profile:
            named = [p for p in spider.profiles if p.name == spider.source.profile]
            if not named:
                raise ValueError(f"site {spider.source.name!r}: no site profile named {spider.source.profile!r}")
            spider.forced_profile = named[0]
        spider.workers = ExtractionWorkers(
            extract_processes(read_setting(settings, "ARCHIVER_EXTRACT_PROCESSES")),
            read_setting(settings, "ARCHIVER_EXTRACT_TIMEOUT"),
        )
        return spider

    def closed(self, reason: str) -> None:
        """Stop the extraction workers."""
        self.workers.close()

    async def start(self) -> AsyncIterator[Request]:
        # A scheduled run resumes from its job folder: start requests go through the dupefilter,
        # so those the interrupted run already made are not made again.
        resumable = self.source is not None
        for url in self.start_urls:
            yield Request(url, callback=self.parse, errback=self.failed, dont_filter=not resumable)
        if self.source is None:
            return
        for request in self.listing_requests(self.source):
            yield request

    def listing_requests(self, source: Source) -> Iterator[Request]:
        """A source's sitemaps, feeds and (``robots_sitemaps``) robots.txt files.

        Read in full on every run: a sitemap index that did not change can still list sitemaps that did.
        """
        listing = {UNCONDITIONAL: True}
        for url in source.sitemaps:
            yield Request(url, callback=self.parse_sitemap, errback=self.failed, meta=listing)
        for url in source.feeds:
            yield Request(url, callback=self.parse_feed, errback=self.failed, meta=listing)
        if source.robots_sitemaps:
            roots = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in source.entry_urls}
            for root in sorted(roots):
                yield Request(f"{root}/robots.txt", callback=self.parse_robots, errback=self.failed, meta=listing)

    def page_request(self, url: str, lastmod: str | None = None) -> Request:
        """A request for a page that may be an article (from a link, a sitemap, a feed or the archive)."""
        meta: dict[str, Any] = {LASTMOD: lastmod} if lastmod else {}
        return Request(url, callback=self.parse, errback=self.failed, meta=meta)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """robots.txt: its Sitemap: lines."""
        for url in sitemaps_in_robots(response.body):
            if is_http_url(url):
                yield Request(url, callback=self.parse_sitemap, errback=self.failed, meta={UNCONDITIONAL: True})

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """A sitemap or sitemap index: the pages (or sitemaps) it lists, with their lastmod."""
        yield from self._listing(response, parse_sitemap, "sitemap")

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """An RSS or Atom feed: its entries' pages, with their updated times."""
        yield from self._listing(response, parse_feed, "feed")

    def _listing(self, response: Response, read: Callable[[bytes], Listing], what: str) -> Iterator[Request]:
        if response.status == 304:
            self.crawler.stats.inc_value(f"archiver/spider/{what}_not_modified")
            return
        try:
            listing = read(response.body)
        except ValueError as exc:
            self.crawler.stats.inc_value(f"archiver/spider/bad_{what}")
            self.failures.append(f"{response.url}: {exc}")
            self.logger.warning("%s unreadable: %s: %s", what, response.url, exc)
            return
        self.crawler.stats.inc_value(f"archiver/spider/{what}_entries", len(listing.entries))
        rules = self.rules_for(response.url)
        for entry in listing.entries:
            url = response.urljoin(entry.url)
            if not is_http_url(url):
                continue
            if listing.kind == "sitemaps":
                meta = {LASTMOD: entry.lastmod, "depth_reset": True, UNCONDITIONAL: True}
                yield Request(url, callback=self.parse_sitemap, errback=self.failed, meta=meta)
            elif rules.in_scope(url):
                request = self.page_request(url, entry.lastmod)
                request.meta["depth_reset"] = True  # listed by the site: a start page, not a hop
                yield request

    async def parse(self, response: Response) -> AsyncIterator[Request | Article]:
        """An article page: its Article (after its comment pages); any page: its links."""
        if response.status == 304:
            self.crawler.stats.inc_value("archiver/spider/not_modified")
            return
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("archiver/spider/not_html")
            return
        rules = self.rules_for(response.url)
        result = await self._extract(
            self.read_page, response, response.body, response.url, datetime.now(UTC), self.min_words,
            self._profile(response), _content_type(response), rules.follow, response.encoding,
        )  # fmt: skip
        if result is not None and result.article is not None:
            if result.page_type is not None and result.page_type.kind == THREAD:
                self.crawler.stats.inc_value("archiver/spider/thread")
            result.article.capture = response.meta.get(CAPTURE)
            for comment in result.article.comments:
                comment.page_url = response.url
            render = self._render_requests(result.article, response) if not result.comment_pages else None
            for output in (
                render
                if render is not None
                else self._with_comment_pages(result.article, response.url, result.comment_pages)
            ):
                yield output
        elif result is not None:
            self.crawler.stats.inc_value("archiver/spider/not_article")
            if result.page_type is not None:  # and why: "archiver/spider/not_article/url:root"...
                self.crawler.stats.inc_value(f"archiver/spider/not_article/{result.page_type.rule}")
        if not self.follows_links(rules):
            return
        # the workers read the links from the page they parsed; a page they gave up on is parsed here
        links = result.links if result is not None else [link.url for link in rules.links.extract_links(response)]
        depth = response.meta.get("depth", 0) if self.depth_limited else 0
        for url in self._not_yet_requested(links, depth):
            if is_http_url(url):
                yield self.page_request(url)

    def _render_requests(self, article: Article, response: Response) -> list[Request] | None:
        """A request loading the article's page in the browser, if its comments may load by script;
        none if this page is rendered in this crawl already (that rendering yields the article);
        None: the article is not rendered."""
        if response.meta.get(RENDER) or not self.rendering.wants(article.comments_status):
            return None
        if response.url in self.rendering.rendered:  # fetched twice (a start URL is never filtered)
            self.crawler.stats.inc_value("archiver/render/again_in_crawl")
            return []
        meta = self.rendering.take(response.url)
        if meta is None:
            self.crawler.stats.inc_value("archiver/render/over_budget")
            return None
        # part of the article already reached: no depth, no validators, never skipped by the recrawl policy
        meta |= {RENDER: True, "depth_reset": True, UNCONDITIONAL: True, EXEMPT: True, "dont_retry": True}
        if response.meta.get(RECORD):  # the rendered record names the fetched one (archiver.warc.rendered)
            meta[RENDERED_FROM] = response.meta[RECORD]
        request = Request(
            response.url,
            callback=self.parse_rendered,
            errback=self.render_failed,
            cb_kwargs={"article": article},
            meta=meta,
            dont_filter=True,
        )
        return [request]

    async def parse_rendered(self, response: Response, article: Article) -> AsyncIterator[Article]:
        """The article's page as the browser rendered it: the comments of its document or of a frame
        (``read_rendered``, as ``archiver reextract`` reads their captures)."""
        self.crawler.stats.inc_value("archiver/render/pages")
        if response.meta.get(CAPTURE):
            article.comment_captures.append(response.meta[CAPTURE])
        text = response.text if isinstance(response, TextResponse) else ""
        documents = [Document(response.url, text, False), *response.meta.get(FRAMES, [])]
        found = await self._extract(read_rendered, response, article, documents, datetime.now(UTC))
        if found is not None and found[1] is not None:
            article, document = found[0], documents[found[1]]
            frame_capture = response.meta.get(FRAME_CAPTURES, {}).get(document.url) if document.frame else None
            if frame_capture is not None:  # the frame's own record, which the provenance names
                article.comment_captures.append(frame_capture)
            self.crawler.stats.inc_value("archiver/render/with_comments")
        yield article

    def render_failed(self, failure: Failure) -> Iterator[Article]:
        """Rendering failed (a browser error, the page's time limit): the article as it was read."""
        self.crawler.stats.inc_value("archiver/render/failed")
        request = failure.request  # type: ignore[attr-defined]
        self.logger.warning("rendering failed: %s: %s", request.url, failure.getErrorMessage())
        yield request.cb_kwargs["article"]

    def _not_yet_requested(self, urls: list[str], depth: int) -> Iterator[str]:
        """The links not already followed from a page this deep or less.

        Most links of a site's page (navigation, sidebars, related articles) were followed before;
        each would become a Request that passes the spider middlewares and is fingerprinted only
        for the duplicate filter to drop it, which costs the crawl more than the rest of the page.
        Under a ``DEPTH_LIMIT`` a link followed from a deeper page may have been dropped for its
        depth, so it is followed again from a shallower one. A link's ``#fragment`` is dropped: it
        is never fetched, and an article's comment permalinks (``#comment-12``) are one page.
        """
        for url in urls:
            url = url.partition("#")[0]
            if self._followed.get(url, depth + 1) > depth:
                self._followed[url] = depth
                yield url

    def _profile(self, response: Response) -> Profile | None:
        if self.forced_profile is not None:
            return self.forced_profile
        return profile_for((urlsplit(response.url).hostname or "").removeprefix("www."), self.profiles)

    async def _extract(self, function: Callable[..., T], response: Response, *args: Any) -> T | None:
        """Run an extraction function in the workers; a page given up is counted and reported."""
        try:
            return await self.workers.run(function, *args)
        except ExtractionFailed as exc:
            self.crawler.stats.inc_value(f"archiver/extract/{exc.kind}")
            self.failures.append(f"{response.url}: {exc}")
            self.logger.warning("extraction given up: %s: %s", response.url, exc)
            return None

    def _with_comment_pages(self, article: Article, url: str, links: list[str]) -> Iterator[Request | Article]:
        """The article at once, or a request for its next comment page that carries it along."""
        if not links:
            yield article
            return
        numbers = [n for n in map(comment_page_number, links) if n is not None]
        state = CommentPages(article, pending=list(links), seen={url, *links})
        state.collected.append((main_page_number(numbers), article.comments))
        yield self._next_comment_page(state)

    def _next_comment_page(self, state: CommentPages) -> Request:
        url = state.pending.pop(0)
        return Request(
            url,
            callback=self.parse_comment_page,
            errback=self.comment_page_failed,
            cb_kwargs={"state": state},
            # part of the article already reached, not a hop further: DEPTH_LIMIT does not apply;
            # always fetched in full (its comments are merged) and never skipped by the recrawl policy
            meta={"depth_reset": True, UNCONDITIONAL: True, EXEMPT: True},
            dont_filter=True,
        )

    async def parse_comment_page(self, response: Response, state: CommentPages) -> AsyncIterator[Request | Article]:
        """One more page of an article's comments: collect them, then the next page or the article."""
        if isinstance(response, TextResponse):
            found = await self._extract(
                read_comment_page, response, response.body, response.url, datetime.now(UTC), _content_type(response)
            )
            comments, links = found if found is not None else ([], [])
            if response.meta.get(CAPTURE):
                state.article.comment_captures.append(response.meta[CAPTURE])
            for comment in comments:
                comment.page_url = response.url
            state.collected.append((comment_page_number(response.url) or len(state.collected) + 1, comments))
            for link in links:
                if link not in state.seen and len(state.seen) < self.max_comment_pages:
                    state.seen.add(link)
                    state.pending.append(link)
        for output in self._finish_or_continue(state):
            yield output

    def comment_page_failed(self, failure: Failure) -> Iterator[Request | Article]:
        """A comment page failed: record it, and keep the comments of the other pages."""
        self.failed(failure)
        yield from self._finish_or_continue(failure.request.cb_kwargs["state"])  # type: ignore[attr-defined]

    def _finish_or_continue(self, state: CommentPages) -> Iterator[Request | Article]:
        if state.pending:
            yield self._next_comment_page(state)
            return
        state.article.comments = merge_comments(state.collected)
        self.crawler.stats.inc_value("archiver/spider/comment_pages", len(state.collected) - 1)
        yield state.article

    def failed(self, failure: Failure) -> None:
        """Count a failed fetch by kind and remember it for the end-of-crawl report."""
        request = getattr(failure, "request", None)
        kind = failure.type.__name__ if failure.type else "Error"
        if request is not None:
            self.crawler.signals.send_catch_log(fetch_failed, request=request, failure=failure)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self.crawler.stats.inc_value(f"archiver/spider/ignored/{kind}")
            return  # robots.txt or another policy said no: not an error of the site
        self.crawler.stats.inc_value(f"archiver/fetch_errors/{kind}")
        url = request.url if request is not None else "?"
        self.failures.append(f"{url}: {failure.getErrorMessage() or kind}")
        self.logger.warning("fetch failed: %s: %s", url, failure.getErrorMessage())


def _source_named(path: str, name: str) -> Source:
    """One site of a sources file (``scrapy crawl articles -a sources=FILE -a source=NAME``)."""
    if not path:
        raise ValueError("-a source=NAME needs -a sources=FILE")
    try:
        found = [s for s in load_sources(Path(path)) if s.name == name]
    except SourcesError as exc:
        raise ValueError(str(exc)) from exc
    if not found:
        raise ValueError(f"{path}: no site named {name!r}")
    return found[0]
