"""A page archiver's crawl rendered in Chromium, as its WARC files keep it; read by ``archiver import``
and ``archiver reextract`` alike.

How the crawl writes it (``archiver.crawl.middlewares.capture``): after the page as fetched, and in
the same crawl, the rendered document of the page's URL as a ``response`` record marked
``WARC-Archiver-Rendered`` (or, when the browser made the same bytes as a capture held before, a
``revisit`` of it: it has no payload of its own), then its ``request``, then one ``resource`` record
per frame's document, each ``WARC-Concurrent-To`` that rendered record (the revisit's own id when it
is one; their ``captures`` rows name it in ``refers_to``). The frames of a rendered page are thus
those of *its own* record, never those of the earlier response a revisit repeats: the page's
payload may be shared, its frames were captured anew.

Which rendered record belongs to which capture of a page (several crawls of an article in the same
files): the rendered record names the record of the page as fetched it was rendered from
(``WARC-Archiver-Rendered-From``, its ``WARC-Record-ID``), so a capture gets the rendering naming it,
whatever the machines' clocks (a distributed crawl's workers). Files written before that field are
matched by date: the crawl fetches a page, reads it, then renders it, so a page's rendering is dated
after its fetch and before the next fetch of that URL. A capture of a page gets the first rendered
record of its URL (fragment aside, none naming a capture) dated at or after it, unless another
capture of that URL (not rendered) comes between them: that one's it is then. A capture no rendered
record follows has none.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Sequence
from datetime import datetime
from typing import Generic, TypeVar

from archiver.extract.rendered import Document, rendered_text
from archiver.warc.reader import Exchange, Resource, concurrent_resources, read_resource

#: The most frames of a rendered page read (a hostile page may hold any number).
MAX_FRAMES = 50

T = TypeVar("T")


def page_key(url: str) -> str:
    """A page's URL as its rendering is found by (the fragment left out)."""
    return url.split("#", 1)[0]


def rendered_frames(
    path: str | os.PathLike[str], offset: int, record_id: str, named: Sequence[tuple[str, int]] = ()
) -> list[Resource]:
    """The frames captured with a rendered page's record (the one at ``offset``, a revisit too: its own
    place and id, not those of the response it repeats): the ``resource`` records written right after
    it, concurrent to it, at most ``MAX_FRAMES``; then those of ``named`` (file, offset) not among them.
    WarcError when one cannot be read."""
    places = [(str(path), found) for found in concurrent_resources(path, offset, record_id, MAX_FRAMES)]
    places += [(str(file), at) for file, at in named if (str(file), at) not in places]
    return [read_resource(file, at) for file, at in places]


def rendered_documents(page: Exchange, frames: Sequence[Resource]) -> list[Document]:
    """The documents of a rendered page as the crawl handed them to ``read_rendered``: the page's own
    (``page``: the exchange holding its payload), then its frames' in the order captured."""
    documents = [Document(page.url, rendered_text(page.payload, page.content_type), False)]
    documents += [Document(f.url, rendered_text(f.payload, f.content_type), True) for f in frames]
    return documents


class Renderings(Generic[T]):
    """The captures of pages and the renderings among them, by URL, to tell which rendering belongs to
    which capture (see the module's docstring). ``T``: what is kept of a rendering."""

    def __init__(self) -> None:
        self._fetched: dict[str, list[datetime]] = {}
        self._rendered: dict[str, list[tuple[datetime, int, T]]] = {}
        self._from: dict[str, T] = {}  # the renderings naming the record they were rendered from, by its id
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def fetched(self, url: str, date: datetime) -> None:
        """A capture of a page as fetched (not rendered)."""
        bisect.insort(self._fetched.setdefault(page_key(url), []), date)

    def rendered(self, url: str, date: datetime, rendering: T, source: str | None = None) -> None:
        """A rendered record of a page (``source``: the record id of the page as fetched it names, if any)."""
        self._count += 1
        if source:
            self._from.setdefault(source, rendering)
            return
        bisect.insort(self._rendered.setdefault(page_key(url), []), (date, self._count, rendering))

    def of(self, url: str, date: datetime, record_id: str | None = None) -> T | None:
        """The rendering that belongs to the capture of ``url`` made at ``date`` (record ``record_id``), or None."""
        if record_id and record_id in self._from:
            return self._from[record_id]
        key = page_key(url)
        renderings = self._rendered.get(key)
        if not renderings:
            return None
        at = bisect.bisect_left(renderings, (date,))
        if at == len(renderings):
            return None
        rendered_at = renderings[at][0]
        fetches = self._fetched.get(key, [])
        between = bisect.bisect_right(fetches, date)  # the first fetch after this capture
        if between < len(fetches) and fetches[between] <= rendered_at:
            return None  # a later fetch of the page comes first: the rendering is that one's
        return renderings[at][2]
