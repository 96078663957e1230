"""A static file server on 127.0.0.1, run in a thread, stopped by its context manager."""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Mapping
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO
from urllib.parse import urlsplit, urlunsplit


class _QuietHandler(SimpleHTTPRequestHandler):
    #: Placeholders in the HTML pages and what the server puts in their place.
    replacements: Mapping[str, str] = {}

    def translate_path(self, path: str) -> str:
        """A request in absolute form (``GET http://host/page``, as a proxy gets it) serves ``/page``."""
        parts = urlsplit(path)
        if parts.scheme and parts.netloc:
            path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the crawl's own log says what was fetched."""

    def send_head(self) -> BinaryIO | None:
        """An HTML page with its placeholders replaced (``replacements``); any other file as it is."""
        path = self.translate_path(self.path)
        if not self.replacements or not path.endswith(".html") or not Path(path).is_file():
            return super().send_head()
        text = Path(path).read_text(encoding="utf-8")
        for placeholder, value in self.replacements.items():
            text = text.replace(placeholder, value)
        body = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class SiteServer:
    """Serves a folder at ``http://127.0.0.1:<port>/`` until stopped.

    ``port=0`` takes a free ephemeral port; a busy preferred port falls back to one. It also
    answers requests sent to it as to an HTTP proxy (``GET http://any-host/page``) from the folder.
    ``replacements``: placeholders of its HTML pages and their values (such as the address of
    another server, known only once it runs).
    """

    def __init__(self, root: str | Path, port: int = 0, replacements: Mapping[str, str] | None = None) -> None:
        handler_class = type("_Handler", (_QuietHandler,), {"replacements": dict(replacements or {})})
        handler = functools.partial(handler_class, directory=str(root))
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
