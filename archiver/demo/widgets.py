"""The demo's comment service: a second origin on 127.0.0.1 whose script fills the comment areas of
the demo's pages under ``/live/`` (in the page, inside a frame, behind "show comments" and "load
more" buttons), and one script that never loads.

The pages name the service as ``{{comments-origin}}``, which ``live_site`` replaces with its address.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from archiver.demo.server import SiteServer, _QuietHandler

#: The comment service's files: its script, its frame page and the threads as JSON, a page each.
WIDGET_DIR = Path(__file__).with_name("widget_site")
#: What the demo's pages call the service's address.
PLACEHOLDER = "{{comments-origin}}"
#: The longest a request for the script that never loads is held (it is answered when the server stops).
NEVER_SECONDS = 120.0


class _WidgetHandler(_QuietHandler):
    stopping: threading.Event

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")  # the pages that read it are of another origin
        super().end_headers()

    def do_GET(self) -> None:
        if urlsplit(self.path).path == "/never.js":
            self.stopping.wait(NEVER_SECONDS)  # the script that never loads: no answer until the server stops
            self.close_connection = True
            return
        super().do_GET()


class WidgetServer:
    """The comment service at ``http://127.0.0.1:<port>/`` until stopped."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        handler_class = type("_Handler", (_WidgetHandler,), {"stopping": self.stopping})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler_class, directory=str(WIDGET_DIR)))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        """The service's origin, without a final "/"."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> WidgetServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

    def __enter__(self) -> WidgetServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


@contextlib.contextmanager
def live_site(root: str | Path, port: int = 0) -> Iterator[tuple[SiteServer, WidgetServer]]:
    """The demo site (``root``) with its comment service beside it, both stopped on leaving."""
    with WidgetServer() as widgets, SiteServer(root, port, {PLACEHOLDER: widgets.origin}) as site:
        yield site, widgets
