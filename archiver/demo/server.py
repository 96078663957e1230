"""A static file server on 127.0.0.1, run in a thread, stopped by its context manager."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit


class _QuietHandler(SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        """A request in absolute form (``GET http://host/page``, as a proxy gets it) serves ``/page``."""
        parts = urlsplit(path)
        if parts.scheme and parts.netloc:
            path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the crawl's own log says what was fetched."""


class SiteServer:
    """Serves a folder at ``http://127.0.0.1:<port>/`` until stopped.

    ``port=0`` takes a free ephemeral port; a busy preferred port falls back to one. It also
    answers requests sent to it as to an HTTP proxy (``GET http://any-host/page``) from the folder.
    """

    def __init__(self, root: str | Path, port: int = 0) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        try:
            self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError:
            self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The server's base URL, ending in "/"."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def start(self) -> SiteServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
