"""Building or updating an archive from WARC files written by any tool (``archiver import``).

Every HTML ``200`` response the files hold is read as a crawl reads a fetched page
(``archiver.extract.read_page``: article or not by the same decision); an article's comment
pages (the URLs ``archiver.extract.pagination`` recognises as its comment pages, linked from it)
are merged into it when the files hold them, as the spider merges the pages it fetches. Each
article names the record it was extracted from (a row of the ``captures`` table, its
``warc_file`` relative to the archive's folder, or absolute when outside it), and its comment
pages' records. A page archiver's crawl rendered in Chromium (its ``response`` or ``revisit`` marked
``WARC-Archiver-Rendered``, written after the page as fetched) is not another fetch of the page: an
article the crawl would have rendered (``archiver.extract.rendered.renders``, in the mode the file's
``warcinfo`` names, ``always`` when it names none) and that has no comment pages gets the comments
of the rendering that belongs to its capture (``archiver.warc.rendered``: the one naming its record,
else the first rendered record of its URL after it, unless another fetch of the URL comes between),
of its document or of a frame captured with that record, as the crawl read them
(``archiver.extract.rendered``), with the same provenance and comment captures. Everything else is
counted in ``ImportStats.skipped`` by reason, as are the records the reader cannot use (malformed,
truncated): never fatal.

An article is seen when its page was fetched (its record's WARC-Date), not when it is imported:
importing the same files again changes nothing, and a later capture of a page moves its
``last_seen`` on (with a revision when its text differs).

Memory and work: every page is extracted once; articles are saved in batches (``BATCH_SIZE``). An article with
comment pages, or one that may have been rendered in a file archiver's crawl wrote
(``WarcReader.by_archiver``: only those can hold rendered pages, so other tools' files cost nothing
more), is put off until every comment page and rendered page has been seen: kept pickled in a
temporary file in the archive's folder (deleted when the import ends; every article of a crawl's
file that names no render mode is put off: any may have been rendered). Remembered meanwhile: each
rendered page by where its record is and when it was made, each status-200 fetch of a page (not a
comment page) in those files whose crawl rendered (mode not ``off``) by its date, and each comment
page seen by its URL and place (about 200 bytes each), as the reader's revisit index: memory grows
with those, not with the articles.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from archiver.archive import Archive
from archiver.archive.store import seen_time
from archiver.extract import PageResult, Profile, load_profiles, profile_for, read_comment_page, read_page
from archiver.extract.pagination import comment_page_number, main_page_number, merge_comments
from archiver.extract.rendered import read_rendered, renders
from archiver.items import Article, Comment, item_asdict
from archiver.settings import declared
from archiver.warc.parallel import Workers
from archiver.warc.reader import Exchange, Location, Resource, WarcError, WarcReader, read_exchange
from archiver.warc.rendered import Renderings, page_key, rendered_documents, rendered_frames
from archiver.warc.writer import warc_date

#: The crawl's limit on an article's comment pages (``ARCHIVER_COMMENTS_MAX_PAGES``' default).
MAX_COMMENT_PAGES = int(declared["ARCHIVER_COMMENTS_MAX_PAGES"].default)
MIN_WORDS = int(declared["ARCHIVER_EXTRACT_MIN_WORDS"].default)
#: Articles an import saves per transaction: four times a crawl's default batch
#: (``ARCHIVER_ARCHIVE_BATCH_SIZE``, 50), as an import waits for no page. Fewer, larger transactions write
#: fewer full-text index segments and commits: the archive's writes cost about 0.1 ms a page less than in
#: batches of 50 (the import's subsection of benchmarks/RESULTS.md), for at most 200 extracted articles
#: held at once; an import stopped before a batch is saved leaves none of it in the archive, and a rerun
#: saves it. (README says 200.)
BATCH_SIZE = 200

# Why an exchange was not archived (keys of ``ImportStats.skipped``, beside the reader's).
NOT_200 = "status other than 200"
NOT_ARTICLE = "not an article"
FILTERED = "URL filtered out"
LONE_COMMENT_PAGE = "comment page without its article"
LONE_RENDERED = "rendered page without its article"


@dataclass
class ImportStats:
    """What an import read and did."""

    records: int = 0  # WARC records read, of every type
    exchanges: int = 0  # HTML responses read
    articles: int = 0  # articles found (saved)
    comment_pages: int = 0  # comment pages merged into their article
    rendered: int = 0  # pages as archiver's crawl rendered them, read for their article's comments
    skipped: Counter[str] = field(default_factory=Counter)
    saved: Counter[str] = field(default_factory=Counter)  # the archive's SaveCounts, summed


class Importer:
    """Import WARC files into an open archive (``run``); ``progress`` is called every ``every`` seconds."""

    def __init__(
        self,
        archive: Archive,
        *,
        url_filter: re.Pattern[str] | None = None,
        profiles: tuple[Profile, ...] | None = None,
        min_words: int = MIN_WORDS,
        batch_size: int = BATCH_SIZE,
        max_comment_pages: int = MAX_COMMENT_PAGES,
        progress: Callable[[ImportStats, float], None] | None = None,
        every: float = 2.0,
        processes: int = 0,
    ) -> None:
        self.archive = archive
        self.base = Path(archive.path).resolve().parent
        self.url_filter = url_filter
        self.context = ExtractionContext(profiles if profiles is not None else load_profiles(None), min_words)
        self.processes = processes
        self.batch_size = batch_size
        self.max_comment_pages = max_comment_pages
        self.progress = progress
        self.every = every
        self.stats = ImportStats()
        self._pending: list[dict[str, Any]] = []
        self._seen: list[str] = []  # when each pending article's page was fetched (its record's WARC-Date)
        self._comment_pages: dict[str, Location] = {}
        self._renderings: Renderings[Exchange] = Renderings()  # rendered records (without their payloads)
        self._reader = WarcReader([])
        self._later: IO[bytes] | None = None  # the articles put off, pickled (see ``_put_off``)
        self._put_off = 0
        self._names: dict[Path, str] = {}
        self._originals: list[dict[str, Any]] = []  # the responses revisits refer to, recorded with the batch

    def run(self, paths: Sequence[str | os.PathLike[str]]) -> ImportStats:
        """Read the files, save what they hold, and return what was done.

        The pages are extracted in ``processes`` worker processes (0: in this one); their results
        are taken in the order of the files, so the archive ends the same either way.
        """
        reader = self._reader = WarcReader(paths)
        self._started = self._last = time.monotonic()
        read: deque[Exchange] = deque()  # the exchanges in the workers, in order, without their payloads
        # in the archive's folder (a tmpfs /tmp would hold it in memory); gone when closed
        later = self._later = tempfile.TemporaryFile(prefix=".archiver-import-", dir=self.base)  # noqa: SIM115 (closed below, quietly after a failed write)
        try:
            with Workers(self.processes, self.context) as workers:
                for result in workers.map(read_html, self._pages(reader, read)):
                    self._read(read.popleft(), result)
            self.stats.records = reader.records
            self.stats.exchanges = reader.exchanges
            self.stats.skipped.update(reader.skipped)
            with self._spilling():
                later.seek(0)
            for _ in range(self._put_off):
                self._article_with_pages(*pickle.load(later))
        finally:
            with contextlib.suppress(OSError):  # flushed by seek(0), unless a write failed (reported)
                later.close()
            self._later = None
        self._flush()
        claimed = self.stats.comment_pages
        self.stats.skipped[LONE_COMMENT_PAGE] += max(0, len(self._comment_pages) - claimed)
        self.stats.skipped[LONE_RENDERED] += max(0, len(self._renderings) - self.stats.rendered)
        self.stats.skipped = +self.stats.skipped
        if self.progress is not None:
            self.progress(self.stats, time.monotonic() - self._started)
        return self.stats

    # -- one exchange -----------------------------------------------------------------------------

    def _pages(self, reader: WarcReader, read: deque[Exchange]) -> Iterator[Page]:
        """The pages to extract, in order (each exchange kept in ``read`` without its payload);
        the others counted, comment pages remembered."""
        for exchange in reader:
            if self._wanted(exchange):
                read.append(replace(exchange, payload=b""))
                yield _page(exchange)
            now = time.monotonic()
            if self.progress is not None and now - self._last >= self.every:
                self._last = now
                self.stats.records = reader.records
                self.progress(self.stats, now - self._started)

    def _wanted(self, exchange: Exchange) -> bool:
        if exchange.status != 200:
            self.stats.skipped[NOT_200] += 1
            return False
        if self.url_filter is not None and not self.url_filter.search(exchange.url):
            self.stats.skipped[FILTERED] += 1
            return False
        if comment_page_number(exchange.url) is not None:
            self._comment_pages.setdefault(page_key(exchange.url), _payload_place(exchange))
            return False
        if exchange.rendered:  # not another fetch of the page: where its script-loaded comments are
            self._renderings.rendered(
                exchange.url, exchange.date, replace(exchange, payload=b""), exchange.rendered_from
            )
            return False
        if self._render_mode(exchange.file) != "off":  # a page its crawl may have rendered: whose rendering is whose
            self._renderings.fetched(exchange.url, exchange.date)
        return True

    def _read(self, exchange: Exchange, result: PageResult) -> None:
        found = self._extracted(exchange, result)
        if found is None:
            return
        article, links = found
        mode = self._render_mode(exchange.file)
        if links or renders(mode, article.comments_status):
            # finished once every comment page (or the page as rendered) is known: kept on disk till then
            assert self._later is not None
            with self._spilling():
                pickle.dump(
                    (replace(exchange, payload=b""), article, links, mode), self._later, pickle.HIGHEST_PROTOCOL
                )
            self._put_off += 1
            return
        self._add(article, exchange.date)

    @contextlib.contextmanager
    def _spilling(self) -> Iterator[None]:
        """Writing the temporary file of articles put off: a full disk is an OSError naming it (the
        command's one line), not a traceback."""
        try:
            yield
        except OSError as exc:
            raise OSError(f"the import's temporary file in {self.base}: {exc.strerror or exc}") from exc

    def _render_mode(self, file: Path) -> str:
        """How the crawl that wrote a file rendered pages (``ARCHIVER_RENDER_COMMENTS``): as its warcinfo
        says; ``always`` in a file of archiver's that does not say (any article may have been rendered);
        ``off`` in another tool's file (no rendered record)."""
        if file not in self._reader.by_archiver:
            return "off"
        return self._reader.render_modes.get(file, "always")

    def _extracted(self, exchange: Exchange, result: PageResult) -> tuple[Article, list[str]] | None:
        if result.article is None:
            self.stats.skipped[NOT_ARTICLE] += 1
            return None
        article = result.article
        article.capture = self._capture(exchange)
        for comment in article.comments:
            comment.page_url = exchange.url
        return article, result.comment_pages

    def _article_with_pages(self, exchange: Exchange, article: Article, links: list[str], mode: str) -> None:
        """An article put off (extracted once, in the first pass) and the comment pages the files hold,
        merged as the spider merges them, or the rendering of its page that belongs to this capture."""
        fetched = exchange.date
        if not links:  # as the spider: an article without comment pages may have been rendered
            wanted = renders(mode, article.comments_status)
            rendered = self._renderings.of(exchange.url, exchange.date, exchange.record_id) if wanted else None
            self._add(self._with_rendered(article, rendered) if rendered is not None else article, fetched)
            return
        numbers = [n for n in map(comment_page_number, links) if n is not None]
        collected: list[tuple[int, list[Comment]]] = [(main_page_number(numbers), article.comments)]
        pending, seen = list(links), {exchange.url, *links}
        while pending:
            url = pending.pop(0)
            place = self._comment_pages.get(page_key(url))
            if place is None:
                continue  # not in the files: the crawl keeps the other pages' comments when one fails
            try:
                page = self._reread(place)
            except WarcError:
                continue
            comments, more = read_comment_page(page.payload, page.url, page.date, page.content_type)
            article.comment_captures.append(self._capture(page))
            self.stats.comment_pages += 1
            for comment in comments:
                comment.page_url = page.url
            collected.append((comment_page_number(page.url) or len(collected) + 1, comments))
            for link in more:
                if link not in seen and len(seen) < self.max_comment_pages:
                    seen.add(link)
                    pending.append(link)
        article.comments = merge_comments(collected)
        self._add(article, fetched)

    def _with_rendered(self, article: Article, rendered: Exchange) -> Article:
        """The article with the comments of its page as archiver's crawl rendered it, or of a frame
        captured with it (those of the rendered record itself, a revisit too), read as the crawl read
        them (``read_rendered``); as it was if they cannot be read."""
        try:
            page = self._reread(_payload_place(rendered))
            frames = rendered_frames(rendered.file, rendered.offset, rendered.record_id or "")
        except WarcError:
            self.stats.skipped["unreadable on second reading"] += 1
            return article
        self.stats.rendered += 1
        article.comment_captures.append(self._capture(rendered))  # its own record, as the crawl names it
        article, found = read_rendered(article, rendered_documents(page, frames), rendered.date)
        if found:  # a frame's: its record named too, as the crawl names it
            article.comment_captures.append(self._resource_capture(frames[found - 1]))
        return article

    def _resource_capture(self, resource: Resource) -> dict[str, Any]:
        """The ``captures`` row of a ``resource`` record (a rendered page's frame: no HTTP status)."""
        return {
            "record_id": resource.record_id or f"<urn:archiver:{self._file_name(resource.file)}#{resource.offset}>",
            "url": resource.url,
            "status": None,
            "fetched_at": warc_date(resource.date.astimezone(UTC)),
            "warc_file": self._file_name(resource.file),
            "offset": resource.offset,
            "length": resource.length,
            "payload_digest": resource.digest,
            "type": "resource",
            "refers_to": resource.concurrent_to,  # the rendered page's record
            "crawl_id": None,
        }

    def _reread(self, where: Location) -> Exchange:
        """The exchange at a place read before (a revisit: with the payload of the response it refers to)."""
        exchange = read_exchange(where.file, where.offset)
        return exchange

    def _add(self, article: Article, fetched: datetime) -> None:
        self.stats.articles += 1
        self._pending.append(item_asdict(article))
        self._seen.append(seen_time(fetched))
        if len(self._pending) >= self.batch_size:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        self.archive.record_captures(self._originals)
        self._originals = []
        counts = self.archive.save(self._pending, seen=self._seen, keep_newer=True)
        self._pending, self._seen = [], []
        self.stats.saved.update({name: value for name, value in vars(counts).items() if value})

    def _capture(self, exchange: Exchange) -> dict[str, Any]:
        """The ``captures`` row of the record a page was read from."""
        return {
            "record_id": exchange.record_id or f"<urn:archiver:{self._file_name(exchange.file)}#{exchange.offset}>",
            "url": exchange.url,
            "status": exchange.status,
            "fetched_at": warc_date(exchange.date.astimezone(UTC)),
            "warc_file": self._file_name(exchange.file),
            "offset": exchange.offset,
            "length": exchange.length,
            "payload_digest": exchange.digest,
            "type": "revisit" if exchange.revisit_of is not None else "response",
            "refers_to": self._original(exchange),
            "crawl_id": None,
            "rendered": exchange.rendered,  # a page as archiver's crawl rendered it (WARC-Archiver-Rendered)
        }

    def _original(self, exchange: Exchange) -> str | None:
        """The record id of the response a revisit refers to (its row recorded too), or None: that
        response as the reader read it to resolve the revisit, not read a second time."""
        if exchange.original is None:
            return None
        row = self._capture(exchange.original)
        self._originals.append(row)
        if len(self._originals) >= self.batch_size:  # recorded ahead of the articles naming them
            self.archive.record_captures(self._originals)  # (a kill leaves rows nothing names yet)
            self._originals = []
        return str(row["record_id"])

    def _file_name(self, path: Path) -> str:
        """A WARC file as the archive names it: relative to the archive's folder, or absolute outside it."""
        if path not in self._names:
            full = path.resolve()
            self._names[path] = str(full.relative_to(self.base)) if full.is_relative_to(self.base) else str(full)
        return self._names[path]


@dataclass(frozen=True)
class ExtractionContext:
    """What every extraction process is given once: the site profiles and the crawl's minimum words."""

    profiles: tuple[Profile, ...]
    min_words: int


#: A page to extract: payload, URL, fetch time, Content-Type.
Page = tuple[bytes, str, datetime, str | None]


def _page(exchange: Exchange) -> Page:
    return exchange.payload, exchange.url, exchange.date, exchange.content_type


def read_html(context: ExtractionContext, page: Page) -> PageResult:
    """A fetched page read as the crawl reads it (``read_page``, the site's profile): in a worker process."""
    payload, url, date, content_type = page
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return read_page(payload, url, date, context.min_words, profile_for(host, context.profiles), content_type)


def _payload_place(exchange: Exchange) -> Location:
    """Where the payload of an exchange can be read again (a revisit's: the response it refers to)."""
    return exchange.revisit_of or exchange.location


def import_warc(archive: Archive, paths: Iterable[str | os.PathLike[str]], **options: Any) -> ImportStats:
    """Import WARC files into an archive (see ``Importer``)."""
    return Importer(archive, **options).run(list(paths))
