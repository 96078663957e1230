"""A news site on 127.0.0.1 that changes between runs: articles, comments, a sitemap, a feed.

Pages carry ETag and Last-Modified and answer conditional requests with 304, as real servers
do. Every request is logged (path, status), so tests can say what a run fetched.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass
class SiteArticle:
    slug: str
    title: str
    published: datetime
    paragraphs: list[str]
    comments: list[tuple[str, str]] = field(default_factory=list)  # (author, text)
    modified: datetime | None = None


def _body(n: int, topic: str) -> list[str]:
    return [
        f"The {topic} committee met on Tuesday to weigh report number {n}, which covers the "
        f"harbour, the ferry timetable and the new cycle lanes along the river front. " * 3,
        f"Residents asked how the {topic} plan would change their commute; officials promised a "
        f"public hearing and a written answer within a month of the meeting number {n}. " * 3,
    ]


class ChangingSite:
    """``articles`` old articles (2024) and ``fresh`` recent ones, each with two comments."""

    def __init__(self, articles: int = 6, fresh: int = 1, delay: float = 0.0) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        self.articles: dict[str, SiteArticle] = {}
        for n in range(1, articles + fresh + 1):
            is_fresh = n > articles
            old = datetime(2024, 3, 1, 9, 30, tzinfo=UTC) + timedelta(hours=n)
            published = now - timedelta(days=2) if is_fresh else old
            slug = f"news/{published:%Y/%m}/story-{n}.html"
            self.articles[slug] = SiteArticle(
                slug,
                f"Story {n}: the council and the river",
                published,
                _body(n, "harbour"),
                [(f"Reader {n}a", f"A first thought on story {n}."), (f"Reader {n}b", f"Agreed about {n}.")],
            )
        self.delay = delay
        #: paths answered that many seconds late (robots.txt, to hold a crawl's first requests)
        self.slow: dict[str, float] = {}
        self.log: list[tuple[str, int]] = []
        #: paths asked so far, as each request arrives (``log`` has them as they are answered)
        self.asked: list[str] = []
        self.changed_at: dict[str, datetime] = {}
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._stamp = now - timedelta(days=1)

    # --- what the site holds ------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def add_article(self, n: int) -> str:
        now = datetime.now(UTC).replace(microsecond=0)
        slug = f"news/{now:%Y/%m}/story-{n}.html"
        self.articles[slug] = SiteArticle(slug, f"Story {n}: a new bridge", now, _body(n, "bridge"))
        return slug

    def edit_article(self, slug: str, title: str) -> None:
        article = self.articles[slug]
        article.title = title
        article.modified = datetime.now(UTC).replace(microsecond=0)

    def add_comment(self, slug: str, author: str, text: str) -> None:
        self.articles[slug].comments.append((author, text))

    def touch(self) -> None:
        """Mark the current content as changed now (Last-Modified moves on)."""
        self._stamp = datetime.now(UTC).replace(microsecond=0)

    def _article_html(self, a: SiteArticle) -> str:
        comments = "".join(
            f'<li class="comment" id="comment-{i}"><article class="comment-body">'
            f'<footer class="comment-meta"><b class="fn">{author}</b> says: '
            f'<time datetime="{a.published.isoformat()}">{a.published:%B %d, %Y}</time></footer>'
            f'<div class="comment-content"><p>{text}</p></div></article></li>'
            for i, (author, text) in enumerate(a.comments, 1)
        )
        paragraphs = "".join(f"<p>{p}</p>" for p in a.paragraphs)
        return (
            f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{a.title}</title>"
            f'<meta property="article:published_time" content="{a.published.isoformat()}"></head>'
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{a.title}</h1>"
            f'<p class="byline">By <span class="author">Dana Reyes</span></p>{paragraphs}</article>'
            f'<section id="comments"><h2>{len(a.comments)} comments</h2>'
            f'<ol class="comment-list">{comments}</ol></section></body></html>'
        )

    def _index_html(self) -> str:
        links = "".join(f'<li><a href="/{a.slug}">{a.title}</a></li>' for a in self._newest())
        return f"<!doctype html><html><head><title>The River Times</title></head><body><ul>{links}</ul></body></html>"

    def _newest(self) -> list[SiteArticle]:
        return sorted(self.articles.values(), key=lambda a: a.published, reverse=True)

    def _lastmod(self, a: SiteArticle) -> datetime:
        return max(a.modified or a.published, a.published)

    def _sitemap(self) -> str:
        urls = "".join(
            f"<url><loc>{self.url}{a.slug}</loc><lastmod>{self._lastmod(a).isoformat()}</lastmod></url>"
            for a in self._newest()
        )
        return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'

    def _sitemap_index(self) -> str:
        return (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{self.url}sitemap-news.xml</loc></sitemap></sitemapindex>"
        )

    def _feed(self) -> str:
        items = "".join(
            f"<item><title>{a.title}</title><link>{self.url}{a.slug}</link>"
            f"<pubDate>{format_datetime(a.published)}</pubDate></item>"
            for a in self._newest()[:5]
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>River</title>{items}</channel></rss>'

    def page(self, path: str) -> tuple[bytes, str, datetime] | None:
        """The body, type and modification time of a path, or None (404)."""
        path = path.split("?", 1)[0].lstrip("/")
        if path in ("", "index.html"):
            return self._index_html().encode(), "text/html; charset=utf-8", self._stamp
        if path == "robots.txt":
            text = f"User-agent: *\nDisallow: /private/\nSitemap: {self.url}sitemap.xml\n"
            return text.encode(), "text/plain", self._stamp
        if path == "sitemap.xml":
            return self._sitemap_index().encode(), "application/xml", self._stamp
        if path == "sitemap-news.xml":
            return self._sitemap().encode(), "application/xml", self._stamp
        if path == "feed.xml":
            return self._feed().encode(), "application/rss+xml", self._stamp
        if path in self.articles:
            a = self.articles[path]
            return self._article_html(a).encode(), "text/html; charset=utf-8", self._lastmod(a)
        return None

    # --- the server ---------------------------------------------------------------------

    def fetched(self, status: int | None = None) -> list[str]:
        """Paths requested so far (with that status, when given)."""
        with self._lock:
            return [p for p, s in self.log if status is None or s == status]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with site._lock:
                    site.asked.append(self.path)
                if site.delay or self.path in site.slow:
                    time.sleep(site.slow.get(self.path, site.delay))
                found = site.page(self.path)
                if found is None:
                    self._send(404, b"not found", "text/plain", {})
                    return
                body, kind, modified = found
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                headers = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
                if self._not_modified(etag, modified):
                    self._send(304, b"", kind, headers)
                    return
                self._send(200, body, kind, headers)

            def _not_modified(self, etag: str, modified: datetime) -> bool:
                if "If-None-Match" in self.headers:
                    return self.headers["If-None-Match"] == etag
                since = self.headers.get("If-Modified-Since")
                if since:
                    try:
                        return modified <= parsedate_to_datetime(since)
                    except (TypeError, ValueError):
                        return False
                return False

            def _send(self, status: int, body: bytes, kind: str, headers: dict[str, str]) -> None:
                with site._lock:
                    site.log.append((self.path, status))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> ChangingSite:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=10)

    def sources_toml(self, **recrawl: float) -> str:
        """A sources file for this site: the home page, the sitemap index, the feed, robots.txt."""
        lines = [
            "[[site]]",
            'name = "river"',
            f'start_urls = ["{self.url}"]',
            f'sitemaps = ["{self.url}sitemap.xml"]',
            f'feeds = ["{self.url}feed.xml"]',
            "delay = 0",
            "concurrency = 8",
            "depth = 2",
            "[site.recrawl]",
            *(f"{k} = {v}" for k, v in recrawl.items()),
        ]
        return "\n".join(lines) + "\n"
