"""Rendering an article page in headless Chromium to read the comments its script loads.

Built on scrapy-playwright: its download handler fetches a request whose meta has ``playwright``
in a Chromium page (Playwright drives Debian's chromium, ``ARCHIVER_RENDER_CHROMIUM``; no browser
is ever downloaded) and every other request as Scrapy's own HTTP handler does. archiver installs
the handler only when rendering is on and Chromium is there (``use_browser``), and starts
Playwright at the first page rendered rather than when the crawl starts (``handler``),
so a crawl that renders nothing costs nothing. The handler holds one browser for the crawl and
closes it when the crawl ends (also after SIGTERM, which ends a crawl cleanly); a browser that
crashed is launched again for the next page. Each rendered page has its own browser context,
closed once the page is read.

In the page (``settle``, run by the handler): wait, within the page's time limit, until its network is quiet and its
documents stop changing; click a "show comments" or "load more comments" control (in the page or
in any of its frames, same-origin or not) a bounded number of times, waiting again after each;
then hand every document (the page's and each frame's, ``documents``) to the comment extractor
(``archiver.extract.rendered``, which ``archiver reextract`` reads their captures with too).
A document's open shadow roots (OpenWeb renders its comments into one) are part of it as handed on:
serialised as declarative shadow DOM, a ``<template shadowrootmode="open">`` in each host, as
Chromium's ``getHTML`` writes them; a browser opening the captured document shows them again.
The controls clicked may be in an open shadow root too.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scrapy.settings import BaseSettings

from archiver.extract.rendered import Document, renders
from archiver.settings import read_setting

if TYPE_CHECKING:
    from playwright.async_api import Page

logger = logging.getLogger(__name__)

#: Chromium's switches: headless in a container (no sandbox: it runs as root there), nothing
#: fetched but what pages ask for.
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio",
)  # fmt: skip
#: The text of a control that shows comments or more of them ("Show comments", "Load more comments",
#: "Weitere Kommentare"), which rendering clicks; a bare "load more" or "show more" counts only in a
#: comment area or a comment frame.
SHOW_COMMENTS_WORDS = (
    r"(?:load|show|view|see|read|display|open)\s+(?:all\s+|more\s+|the\s+|older\s+|\d+\s+(?:more\s+)?)?"
    r"(?:comments?|replies|responses|reactions)",
    r"(?:more|older|previous|earlier)\s+(?:comments|replies|responses)",
    r"(?:weitere|mehr|alle|ältere)\s+kommentare", r"kommentare\s+(?:anzeigen|laden|einblenden)",
    r"(?:afficher|voir|charger)\s+(?:les\s+|plus\s+de\s+)?commentaires", r"plus\s+de\s+commentaires",
)  # fmt: skip
SHOW_COMMENTS = rf"^\s*(?:{'|'.join(SHOW_COMMENTS_WORDS)})\b"
SHOW_MORE_WORDS = (r"(?:load|show|view|see)\s+more", r"mehr\s+(?:laden|anzeigen)", r"voir\s+plus")
SHOW_MORE = rf"^\s*(?:{'|'.join(SHOW_MORE_WORDS)})\b"
#: What a rendered page does not load: comments need scripts, documents and data, not pictures or sound.
SKIPPED_RESOURCES = frozenset({"image", "media", "font"})
#: How long a page's network must be quiet, and its documents unchanged, to be read (seconds).
QUIET_SECONDS = 0.5
_HANDLER = "archiver.crawl.render.handler.RenderDownloadHandler"


class RenderUnavailable(RuntimeError):
    """``ARCHIVER_RENDER_COMMENTS=always`` and no Chromium to launch."""


def browser_path(settings: BaseSettings) -> str | None:
    """The Chromium executable rendering launches; None when rendering is off or (``auto``) it is missing."""
    mode = read_setting(settings, "ARCHIVER_RENDER_COMMENTS")
    if mode == "off":
        return None
    wanted = read_setting(settings, "ARCHIVER_RENDER_CHROMIUM") or "chromium"
    found = shutil.which(wanted)
    if found is None and mode == "always":
        raise RenderUnavailable(
            f"ARCHIVER_RENDER_COMMENTS=always: no Chromium at {wanted!r}"
            " (install chromium or set ARCHIVER_RENDER_CHROMIUM)"
        )
    return found


def use_browser(settings: BaseSettings) -> None:
    """Fetch through scrapy-playwright's handler, launching this Chromium, when rendering is on and possible."""
    path = browser_path(settings)
    if path is None:
        return
    handlers = {**settings.getdict("DOWNLOAD_HANDLERS"), "http": _HANDLER, "https": _HANDLER}
    limit_ms = int(read_setting(settings, "ARCHIVER_RENDER_TIMEOUT") * 1000)
    launch: dict[str, Any] = {"executable_path": path, "headless": True, "args": list(CHROMIUM_ARGS)}
    demo_server = read_setting(settings, "ARCHIVER_DEMO_SERVER")
    if demo_server:
        # `archiver demo`: the browser too asks the demo's server for every page, as Scrapy does
        # (archiver.demo.proxy), but for 127.0.0.1, where the demo's comment service answers
        launch["proxy"] = {"server": demo_server.rstrip("/"), "bypass": "127.0.0.1"}
    values = {
        "DOWNLOAD_HANDLERS": handlers,
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        # one context per page: at most this many pages at once
        "PLAYWRIGHT_MAX_CONTEXTS": read_setting(settings, "ARCHIVER_RENDER_PAGES_AT_ONCE"),
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 1,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": limit_ms,
        "PLAYWRIGHT_ABORT_REQUEST": "archiver.crawl.render.skipped",
    }
    for name, value in values.items():
        settings.set(name, value, priority="spider")


def skipped(request: Any) -> bool:
    """Whether a rendered page's request is not made (pictures, sound, fonts)."""
    return str(request.resource_type) in SKIPPED_RESOURCES


@dataclass
class RenderPolicy:
    """Which articles a crawl renders, within its budget, each once.

    Settings: ``ARCHIVER_RENDER_COMMENTS``, ``ARCHIVER_RENDER_CHROMIUM``, ``ARCHIVER_RENDER_MAX_PAGES``,
    ``ARCHIVER_RENDER_TIMEOUT``, ``ARCHIVER_RENDER_CLICKS``.
    """

    mode: str = "off"
    chromium: str | None = None
    budget: int = 0
    limit: float = 20.0
    clicks: int = 0
    rendered: set[str] = field(default_factory=set)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RenderPolicy:
        return cls(
            mode=read_setting(settings, "ARCHIVER_RENDER_COMMENTS"),
            chromium=browser_path(settings),
            budget=read_setting(settings, "ARCHIVER_RENDER_MAX_PAGES"),
            limit=read_setting(settings, "ARCHIVER_RENDER_TIMEOUT"),
            clicks=read_setting(settings, "ARCHIVER_RENDER_CLICKS"),
        )

    @property
    def missing_browser(self) -> bool:
        """Rendering wanted (``auto``) and no Chromium to do it."""
        return self.mode == "auto" and self.chromium is None

    def wants(self, status: str | None) -> bool:
        """Whether an article of this comment status is worth rendering (``always``: every one)."""
        return self.chromium is not None and renders(self.mode, status)

    def take(self, url: str) -> dict[str, Any] | None:
        """The request meta rendering this page, or None: rendered already in this crawl, or over budget."""
        if url in self.rendered or len(self.rendered) >= self.budget:
            return None
        self.rendered.add(url)
        return render_meta(len(self.rendered), self.limit, self.clicks)


#: Request meta keys of a rendered page, set and read in the download handler (FRAMES: the frames'
#: ``Document``s, for the spider).
TRAFFIC = "archiver_render_traffic"
FRAMES = "archiver_render_frames"
#: The page's own document where it has open shadow roots (inlined): the response's body, in place of
#: the page's content() that leaves them out.
SHADOWED = "archiver_render_shadowed"
CLICKS = "archiver_render_clicks"
DEADLINE = "archiver_render_deadline"
LIMIT = "archiver_render_limit"


def render_meta(number: int, limit: float, max_clicks: int) -> dict[str, Any]:
    """The request meta that has the handler render a page in a browser context of its own."""
    return {
        "playwright": True,
        "playwright_context": f"render-{number}",
        "playwright_page_goto_kwargs": {"wait_until": "domcontentloaded", "timeout": limit * 1000},
        "playwright_page_init_callback": "archiver.crawl.render.track_traffic",
        LIMIT: limit,
        CLICKS: max_clicks,
    }


async def track_traffic(page: Page, request: Any) -> None:
    """Before the page loads (its browser context had its turn): count its requests in flight from
    the first one on, and start its time limit."""
    traffic = request.meta[TRAFFIC] = Traffic(page)
    request.meta[DEADLINE] = traffic.loop.time() + float(request.meta.get(LIMIT, 20.0))


#: The most open shadow roots a document's serialisation inlines (a hostile page may make any number).
MAX_SHADOW_ROOTS = 5000
#: Finds the open shadow roots of a document, nested ones too (runs in the page; also the click and
#: size scripts' first lines).
_ROOTS_JS = """const roots = [];
  const collect = (node) => {
    for (const el of node.querySelectorAll("*")) {
      if (roots.length >= max) return;
      if (el.shadowRoot) { roots.push(el.shadowRoot); collect(el.shadowRoot); }
    }
  };
  collect(document);"""
#: The document as HTML with its open shadow roots as declarative shadow DOM, and how many there are;
#: null where it has none (its content() is the same) or the browser cannot write them.
_SHADOW_SCRIPT = f"""(max) => {{
  {_ROOTS_JS}
  const root = document.documentElement;
  if (!roots.length || !root || !root.getHTML) return null;
  const quote = (v) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  const attrs = Array.from(root.attributes, (a) => ` ${{a.name}}="${{quote(a.value)}}"`).join("");
  const doctype = document.doctype ? `<!DOCTYPE ${{document.doctype.name}}>` : "";
  return [doctype + `<html${{attrs}}>` + root.getHTML({{shadowRoots: roots}}) + "</html>", roots.length];
}}"""


#: Finds a control showing comments in one document or its open shadow roots, clicks it and says so
#: (runs in the page). A control in a shadow root is in a comment area when its host is.
_CLICK_SCRIPT = f"""([comments, more, max]) => {{
  const shows = new RegExp(comments, "i"), showsMore = new RegExp(more, "i");
  const area = "[id*=comment i],[class*=comment i],[id*=kommentar i],[class*=kommentar i],[id*=discussion i]";
  const inFrame = window !== window.top;
  const inArea = (el) => {{
    for (let node = el; node; node = node.getRootNode().host) {{
      if (node.closest(area)) return true;
    }}
    return false;
  }};
  {_ROOTS_JS}
  for (const scope of [document, ...roots]) {{
    for (const el of scope.querySelectorAll("button, a, [role=button], input[type=button], summary")) {{
      const text = (el.innerText || el.value || "").trim();
      if (!text || text.length > 60 || el.disabled || el.dataset.archiverClicked) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (shows.test(text) || (showsMore.test(text) && (inFrame || inArea(el)))) {{
        el.dataset.archiverClicked = "1";
        el.click();
        return true;
      }}
    }}
  }}
  return false;
}}"""
#: A measure of a document's content (its open shadow roots' too) that changes when a widget adds to it.
_SIZE_SCRIPT = f"""(max) => {{
  {_ROOTS_JS}
  let size = document.getElementsByTagName("*").length;
  for (const root of roots) size += root.querySelectorAll("*").length;
  return size + ":" + (document.body ? document.body.innerText.length : 0);
}}"""


class Traffic:
    """The page's requests in flight (its frames' too), and when the last one began or ended."""

    def __init__(self, page: Page) -> None:
        self.loop = asyncio.get_running_loop()
        self.pending: set[Any] = set()
        self.changed = self.loop.time()
        page.on("request", self._began)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _began(self, request: Any) -> None:
        self.pending.add(request)
        self.changed = self.loop.time()

    def _ended(self, request: Any) -> None:
        self.pending.discard(request)
        self.changed = self.loop.time()

    def quiet(self) -> bool:
        return not self.pending and self.loop.time() - self.changed >= QUIET_SECONDS


async def settle(
    page: Page, traffic: Traffic, deadline: float, max_clicks: int, stopping: Callable[[], bool] = lambda: False
) -> int:
    """Wait for the page's comment widgets, clicking "show comments"/"load more" controls (at most
    ``max_clicks``), until all is quiet, the deadline (the loop's time) or the crawl ``stopping``;
    the clicks made."""
    clicks = 0
    await _quiet(page, traffic, deadline, stopping)
    while clicks < max_clicks and traffic.loop.time() < deadline and not stopping():
        if not await _click_one(page):
            break
        clicks += 1
        await _quiet(page, traffic, deadline, stopping)
    return clicks


async def _click_one(page: Page) -> bool:
    from playwright.async_api import Error as PlaywrightError

    for frame in page.frames:
        try:
            if await frame.evaluate(_CLICK_SCRIPT, [SHOW_COMMENTS, SHOW_MORE, MAX_SHADOW_ROOTS]):
                return True
        except PlaywrightError:
            continue  # a frame gone or not ready: the others may still have a control
    return False


async def _quiet(page: Page, traffic: Traffic, deadline: float, stopping: Callable[[], bool]) -> None:
    """Until no request is in flight and no document changed for QUIET_SECONDS, or the deadline."""
    previous = None
    while traffic.loop.time() < deadline and not stopping():
        await asyncio.sleep(min(0.25, max(0.0, deadline - traffic.loop.time())))
        if not traffic.quiet():
            previous = None
            continue
        size = await _sizes(page)
        if size == previous:
            return
        previous = size


async def _sizes(page: Page) -> list[str]:
    from playwright.async_api import Error as PlaywrightError

    sizes = []
    for frame in page.frames:
        try:
            sizes.append(str(await frame.evaluate(_SIZE_SCRIPT, MAX_SHADOW_ROOTS)))
        except PlaywrightError:
            sizes.append("gone")
    return sizes


async def documents(page: Page) -> list[Document]:
    """The page's document, then its frames' (http(s) ones: not blank or inline ones), as they are now,
    open shadow roots inlined."""
    from playwright.async_api import Error as PlaywrightError

    found = []
    for frame in page.frames:
        if frame is not page.main_frame and not frame.url.startswith(("http://", "https://")):
            continue
        try:
            shadowed = await frame.evaluate(_SHADOW_SCRIPT, MAX_SHADOW_ROOTS)
            html, roots = (str(shadowed[0]), int(shadowed[1])) if shadowed else (await frame.content(), 0)
        except PlaywrightError:
            continue
        found.append(Document(frame.url, html, frame is not page.main_frame, roots))
    return found
