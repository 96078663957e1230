"""A generated site of many small linked article pages, and a server that logs every request path."""

from __future__ import annotations

import functools
import threading
import time
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

COMMENTS_PER_PAGE = 3


def page_name(n: int) -> str:
    return f"p{n}.html"


def make_linked_site(folder: Path, pages: int) -> Path:
    """``pages`` article pages with ``COMMENTS_PER_PAGE`` comments each; every page links to ten more.

    The index links to pages 1-10, page n to pages 10n..10n+9, to page n+1 and back to the index,
    so most pages are linked more than once (the shared dupefilter has work to do).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, pages + 1):
        targets = [t for t in [*range(10 * n, 10 * n + 10), n + 1] if 1 <= t <= pages]
        links = "".join(f'<li><a href="/{page_name(t)}">Page {t}</a></li>' for t in targets)
        comments = "".join(
            f"<li class='comment' id='comment-{n}-{c}'><cite class='fn'>Reader {c} of {n}</cite> "
            f"<time datetime='2024-06-0{c}T10:00:00'>June {c}</time>"
            f"<div class='comment-content'><p>Comment {c} on page {n}.</p></div></li>"
            for c in range(1, COMMENTS_PER_PAGE + 1)
        )
        text = f"Dispatch {n} from the harbour, where boats came in at dawn and left at dusk all week long. " * 5
        (folder / page_name(n)).write_text(
            f"<html><head><title>Harbour dispatch {n}</title></head><body><article><h1>Harbour dispatch {n}</h1>"
            f'<p class="byline">By Ana Lobo, <time datetime="2024-05-{n % 28 + 1:02d}">May 2024</time></p>'
            f"<p>{text}</p></article><ol class='comment-list'>{comments}</ol>"
            f'<nav><ul>{links}<li><a href="/index.html">Index</a></li></ul></nav></body></html>',
            encoding="utf-8",
        )
    first = "".join(f'<li><a href="/{page_name(t)}">Page {t}</a></li>' for t in range(1, min(pages, 10) + 1))
    (folder / "index.html").write_text(f"<html><body><ul>{first}</ul></body></html>", encoding="utf-8")
    return folder


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # many crawlers connect at once; the default backlog of 5 stalls them
    daemon_threads = True

    def __init__(self, root: Path, delay: float, slow: dict[str, float], gate: threading.Event | None) -> None:
        self.paths: list[str] = []
        self.gate = gate
        self.times: list[tuple[str, float, float]] = []  # (path, start, end) of each request, time.monotonic()
        self.accepted: dict[Any, float] = {}  # connection -> when it was accepted
        self.delay = delay
        self.slow = slow
        super().__init__(("127.0.0.1", 0), functools.partial(_LoggingHandler, directory=str(root)))

    def process_request(self, request: Any, client_address: Any) -> None:
        """Note when the connection came (before its thread starts: the time the request was sent)."""
        self.accepted[request] = time.monotonic()
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A crawler killed mid-response closes its connections: not worth a traceback."""


class _LoggingHandler(SimpleHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        start = self.server.accepted.pop(self.request, None) or time.monotonic()
        self.server.paths.append(self.path)  # list.append is atomic: one entry per request
        if self.server.gate is not None:
            self.server.gate.wait(60)
        delay = self.server.slow.get(self.path, self.server.delay)
        if delay:
            time.sleep(delay)
        super().do_GET()
        self.server.times.append((self.path, start, time.monotonic()))

    def log_message(self, format: str, *args: Any) -> None:
        """Kept in ``paths``, not printed."""


class LoggingSiteServer:
    """Serves a folder on 127.0.0.1 (ephemeral port) and keeps the path of every GET, in order.

    Each response waits ``delay`` seconds, or the seconds ``slow`` gives for its path; with a
    ``gate``, every request is first held until the gate is set (at most 60 s).
    """

    def __init__(
        self,
        root: Path,
        delay: float = 0.0,
        slow: dict[str, float] | None = None,
        gate: threading.Event | None = None,
    ) -> None:
        self.httpd = _Server(root, delay, slow or {}, gate)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    @property
    def paths(self) -> list[str]:
        return self.httpd.paths

    @property
    def times(self) -> list[tuple[str, float, float]]:
        """(path, start, end) of every request answered, in the order they ended (``time.monotonic()``)."""
        return self.httpd.times

    def page_fetches(self) -> Counter[str]:
        """How many times each article page was requested."""
        return Counter(p for p in self.httpd.paths if p.startswith("/p"))

    def __enter__(self) -> LoggingSiteServer:
        self.thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)
