"""The generic article spider: start pages, links within their sites, one Article per article."""

from __future__ import annotations

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
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archiver.extract import Profile, load_profiles, profile_for, read_comment_page, read_page
from archiver.extract.pagination import (
    NOT_AN_ARTICLE_URL,
    comment_page_number,
    main_page_number,
    merge_comments,
)
from archiver.items import Article, Comment
from archiver.urls import is_http_url
from archiver.workers import ExtractionFailed, ExtractionWorkers

T = TypeVar("T")


def read_urls_file(path: str) -> list[str]:
    """URLs from a file, one per line; blank lines and lines starting with # are skipped."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@dataclass
class CommentPages:
    """An article waiting for the rest of its comment pages."""

    article: Article
    pending: list[str]
    seen: set[str]
    collected: list[tuple[int, list[Comment]]] = field(default_factory=list)


class ArticlesSpider(Spider):
    """Crawls from start URLs (``-a url=...``, comma-separated, or ``-a urls_file=...``).

    Follows links on the start URLs' hosts up to ``DEPTH_LIMIT`` and yields an Article for
    every page that is an article, with the comments of all its comment pages merged in.
    Pages are extracted in worker processes (``archiver.workers``). Settings:
    ``ARCHIVER_EXTRACT_MIN_WORDS``, ``ARCHIVER_EXTRACT_PROCESSES``, ``ARCHIVER_EXTRACT_TIMEOUT``,
    ``ARCHIVER_COMMENTS_MAX_PAGES``, ``ARCHIVER_PROFILES_DIR``.
    """

    name = "articles"
    #: False for a spider whose start URLs come from elsewhere (a Redis queue).
    needs_start_urls = True

    def __init__(self, url: str = "", urls_file: str = "", crawl_id: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        urls = [u.strip() for u in url.split(",") if u.strip()]
        if urls_file:
            urls += read_urls_file(urls_file)
        bad = [u for u in urls if not is_http_url(u)]
        if bad:
            raise ValueError(f"not an http(s) URL: {bad[0]!r}")
        if not urls and self.needs_start_urls:
            raise ValueError("no start URL: pass -a url=URL or -a urls_file=FILE")
        self.start_urls = urls
        self.crawl_id = crawl_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.failures: list[str] = []
        self.min_words = 60
        self.max_comment_pages = 50
        self.profiles: tuple[Profile, ...] = ()
        self.workers = ExtractionWorkers(0, 60.0)
        self.follow_hosts(urls)

    def follow_hosts(self, urls: list[str]) -> None:
        """Follow links (and allow requests) on the hosts of these URLs only."""
        hosts = {(urlsplit(u).hostname or "").removeprefix("www.") for u in urls}
        self.allowed_domains = sorted(hosts)
        # LinkExtractor compares domains with the URL's host *and port*, so list both spellings.
        netlocs = {urlsplit(u).netloc.lower().removeprefix("www.") for u in urls}
        self.links = LinkExtractor(
            allow=[r"^https?://"],  # web pages only: no ftp:, file:, data: or mail links
            allow_domains=sorted(hosts | netlocs),
            deny=[NOT_AN_ARTICLE_URL.pattern],
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArticlesSpider:
        spider: ArticlesSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.min_words = crawler.settings.getint("ARCHIVER_EXTRACT_MIN_WORDS")
        spider.max_comment_pages = crawler.settings.getint("ARCHIVER_COMMENTS_MAX_PAGES")
        spider.profiles = load_profiles(crawler.settings.get("ARCHIVER_PROFILES_DIR") or None)
        spider.workers = ExtractionWorkers(
            crawler.settings.getint("ARCHIVER_EXTRACT_PROCESSES"), crawler.settings.getfloat("ARCHIVER_EXTRACT_TIMEOUT")
        )
        return spider

    def closed(self, reason: str) -> None:
        """Stop the extraction workers."""
        self.workers.close()

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

    async def parse(self, response: Response) -> AsyncIterator[Request | Article]:
        """An article page: its Article (after its comment pages); any page: its links."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("archiver/spider/not_html")
            return
        result = await self._extract(
            read_page, response, response.text, response.url, datetime.now(UTC), self.min_words, self._profile(response)
        )
        if result is not None and result.article is not None:
            for output in self._with_comment_pages(result.article, response.url, result.comment_pages):
                yield output
        elif result is not None:
            self.crawler.stats.inc_value("archiver/spider/not_article")
        for link in self.links.extract_links(response):
            yield Request(link.url, callback=self.parse, errback=self.failed)

    def _profile(self, response: Response) -> Profile | None:
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
            # part of the article already reached, not a hop further: DEPTH_LIMIT does not apply
            meta={"depth_reset": True},
            dont_filter=True,
        )

    async def parse_comment_page(self, response: Response, state: CommentPages) -> AsyncIterator[Request | Article]:
        """One more page of an article's comments: collect them, then the next page or the article."""
        if isinstance(response, TextResponse):
            found = await self._extract(read_comment_page, response, response.text, response.url, datetime.now(UTC))
            comments, links = found if found is not None else ([], [])
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
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self.crawler.stats.inc_value(f"archiver/spider/ignored/{kind}")
            return  # robots.txt or another policy said no: not an error of the site
        self.crawler.stats.inc_value(f"archiver/fetch_errors/{kind}")
        url = request.url if request is not None else "?"
        self.failures.append(f"{url}: {failure.getErrorMessage() or kind}")
        self.logger.warning("fetch failed: %s: %s", url, failure.getErrorMessage())
