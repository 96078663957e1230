"""Running the current extractor over the captures an archive holds (``archiver reextract``).

Each selected article's capture (the WARC record its values were extracted from) and its comment
pages' captures are read again and extracted as the crawl extracts a fetched page (its comment
pages merged as the spider merges them). A page the crawl rendered in Chromium (among its comment
captures, a record of the page's own URL: the rendered document) has its comments read again from
that document and from the frames captured with it (the ``resource`` records written right after
it, and any the article names) by ``archiver.extract.rendered``, as the crawl read them: the same
provenance, the same captures named; an article whose values differ from what the archive
holds is saved through ``Archive.save``, the path a crawl's items take: the old values kept as a
revision, the comments compared one by one (new, changed, deleted), the new ``extractor_version``
recorded. An article that reads the same is left untouched, so a second run changes nothing.
The times the archive gives what changed are those of the capture (when the page was fetched):
a revision is "replaced at" its capture's date, a comment found only now was first seen then,
and no article's ``first_seen`` or ``last_seen`` moves.

Articles are read from the archive in batches (by id) and extracted in worker processes
(``archiver.warc.parallel``), at most two per process in flight: memory stays flat however large
the archive. A capture whose WARC file is missing or unreadable is counted and its article left as
it is; so is a capture that no longer reads as an article.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from archiver.archive import Archive
from archiver.archive.captures import capture_rows
from archiver.archive.export import ExportFilters
from archiver.archive.store import seen_time
from archiver.extract import Profile, load_profiles, read_comment_page
from archiver.extract.pagination import comment_page_number, main_page_number, merge_comments
from archiver.extract.rendered import read_rendered
from archiver.items import Article, Comment, item_asdict
from archiver.settings import declared
from archiver.warc.importer import ExtractionContext, read_html
from archiver.warc.parallel import Workers
from archiver.warc.reader import WarcError, read_exchange, read_resource
from archiver.warc.rendered import page_key, rendered_documents, rendered_frames

MIN_WORDS = int(declared["ARCHIVER_EXTRACT_MIN_WORDS"].default)
BATCH_SIZE = int(declared["ARCHIVER_ARCHIVE_BATCH_SIZE"].default)

#: The article fields compared (those a change of which makes a revision), in report order.
FIELDS = ("title", "authors", "published", "modified", "body")
#: What a comment is compared by: its content as the page shows it.
_COMMENT_CONTENT = ("author", "published", "body", "kind")


@dataclass
class ReextractStats:
    """What a re-extraction read and changed."""

    articles: int = 0  # articles selected
    changed: int = 0  # articles whose fields or comments differed (saved)
    fields: Counter[str] = field(default_factory=Counter)  # field (or "comments") -> articles where it differed
    versions: int = 0  # articles saved only for a newer extractor_version or another capture
    saved: Counter[str] = field(default_factory=Counter)  # the archive's SaveCounts, summed
    no_capture: int = 0  # articles archived without a capture (before captures were kept)
    missing: int = 0  # captures whose WARC file is missing or unreadable (their articles left as they were)
    not_article: int = 0  # captures that no longer read as an article (left as they were)
    problems: list[str] = field(default_factory=list)  # the first few missing captures, as the reader said


@dataclass(frozen=True)
class _Task:
    """One article's captures: (WARC file, offset) of its page's, then of its comment pages', or of
    the page as rendered and of the frames captured with it."""

    article_id: int
    page: tuple[str, int]
    comment_pages: tuple[tuple[str, int], ...]
    rendered: tuple[str, int] | None = None  # the record holding the rendered page's payload
    rendered_at: tuple[str, int] | None = None  # the rendered page's own record (a revisit: not the above)
    rendered_id: str = ""  # its record id, which its frames' records are concurrent to
    frames: tuple[tuple[str, int], ...] = ()  # the frames the article names (those found besides)


@dataclass
class _Result:
    article_id: int
    article: dict[str, Any] | None  # None: not re-extracted (see ``problem``)
    problem: str | None = None  # a capture unreadable (the reader's message), or "not an article"
    missing: int = 0
    comment_pages: int = 0  # the comment pages read (the first of the task's), merged into the article
    frame: str | None = None  # the record id of the frame whose comments the article has (rendered)


NOT_AN_ARTICLE = "not an article"


def _reextract(context: ExtractionContext, task: _Task) -> _Result:
    """In a worker: an article read again from its captures (a module-level function: it is pickled by name)."""
    try:
        page = read_exchange(*task.page)
    except WarcError as error:
        return _Result(task.article_id, None, str(error), missing=1)
    result = read_html(context, (page.payload, page.url, page.date, page.content_type))
    if result.article is None:
        return _Result(task.article_id, None, NOT_AN_ARTICLE)
    article = result.article
    for comment in article.comments:
        comment.page_url = page.url
    if not result.comment_pages and task.rendered is not None:  # as the spider: rendered, not paginated
        return _rendered(task, article)
    if not result.comment_pages:  # as the spider: a page that links to no comment page is the article as read
        return _Result(task.article_id, item_asdict(article))
    numbers = [n for n in map(comment_page_number, result.comment_pages) if n is not None]
    collected: list[tuple[int, list[Comment]]] = [(main_page_number(numbers), article.comments)]
    problems = []
    for file, offset in task.comment_pages:
        try:
            other = read_exchange(file, offset)
        except WarcError as error:
            problems.append(str(error))
            continue
        comments, _ = read_comment_page(other.payload, other.url, other.date, other.content_type)
        for comment in comments:
            comment.page_url = other.url
        collected.append((comment_page_number(other.url) or len(collected) + 1, comments))
    if problems:  # saved without a page's comments, they would be marked deleted
        return _Result(task.article_id, None, problems[0], missing=len(problems))
    article.comments = merge_comments(collected)
    return _Result(task.article_id, item_asdict(article), comment_pages=len(task.comment_pages))


def _rendered(task: _Task, article: Article) -> _Result:
    """The article with the comments of its page as rendered, or of a frame, read as the crawl read them."""
    assert task.rendered is not None and task.rendered_at is not None
    try:
        page = read_exchange(*task.rendered)
        frames = rendered_frames(*task.rendered_at, task.rendered_id, task.frames)
    except WarcError as error:  # saved without the rendered comments, they would be marked deleted
        return _Result(task.article_id, None, str(error), missing=1)
    article, found = read_rendered(article, rendered_documents(page, frames), page.date)
    return _Result(task.article_id, item_asdict(article), frame=frames[found - 1].record_id if found else None)


class Reextractor:
    """Re-extract the selected articles of an open archive (``run``); ``advance`` is called once per article."""

    def __init__(
        self,
        archive: Archive,
        *,
        filters: ExportFilters | None = None,
        dry_run: bool = False,
        processes: int = 0,
        profiles: tuple[Profile, ...] | None = None,
        min_words: int = MIN_WORDS,
        batch_size: int = BATCH_SIZE,
        advance: Callable[[], None] | None = None,
    ) -> None:
        self.archive = archive
        self.conn: sqlite3.Connection = archive.db.conn
        self.base = Path(archive.path).resolve().parent
        self.filters = filters or ExportFilters()
        self.dry_run = dry_run
        self.processes = processes
        self.context = ExtractionContext(profiles if profiles is not None else load_profiles(None), min_words)
        self.batch_size = batch_size
        self.advance = advance
        self.stats = ReextractStats()
        self._held: dict[int, dict[str, Any]] = {}  # article id -> what the archive holds, while in flight
        self._pending: list[dict[str, Any]] = []
        self._seen: list[str] = []  # when each pending article's capture was made

    def count(self) -> int:
        """How many articles the filters select."""
        where, params = self.filters.where()
        return int(self.conn.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0])

    def run(self) -> ReextractStats:
        """Read, compare and save every selected article; return what was done."""
        with Workers(self.processes, self.context) as workers:
            for result in workers.map(_reextract, self._tasks()):
                self._compare(result)
                if self.advance is not None:
                    self.advance()
        self._flush()
        return self.stats

    # -- reading the archive ----------------------------------------------------------------------

    def _tasks(self) -> Iterator[_Task]:
        for batch in self._batches():
            captures = self._captures(batch)
            for row in batch:
                self.stats.articles += 1
                task = self._task(row, captures)
                if task is None:
                    if self.advance is not None:
                        self.advance()
                    continue
                self._held[row["id"]] = row
                yield task

    def _batches(self) -> Iterator[list[dict[str, Any]]]:
        """The selected articles, ``batch_size`` at a time, by id (no cursor is left open between batches)."""
        where, params = self.filters.where()
        condition = f"WHERE id > ?{' AND ' + where.removeprefix(' WHERE ') if where else ''}"
        columns = ("id", "url", "capture", "comment_captures", "extractor_version", *FIELDS)
        last = 0
        while True:
            found = self.conn.execute(
                f"SELECT {', '.join(columns)} FROM articles {condition} ORDER BY id LIMIT ?",
                [last, *params, self.batch_size],
            ).fetchall()
            if not found:
                return
            yield [dict(zip(columns, row, strict=True)) for row in found]
            last = found[-1][0]

    def _captures(self, batch: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """The captures the batch's articles name, by record id (a revisit's response too)."""
        ids = [i for row in batch for i in _named(row)]
        found = capture_rows(self.conn, ids)
        originals = [c["refers_to"] for c in found.values() if c["type"] == "revisit" and c["refers_to"]]
        found.update(capture_rows(self.conn, originals))
        return found

    def _task(self, row: dict[str, Any], captures: dict[str, dict[str, Any]]) -> _Task | None:
        """The article's task, its captures (the rows) kept in ``row``; None when it has none to read."""
        if not row["capture"]:
            self.stats.no_capture += 1
            return None
        rows = [_response(captures, record_id) for record_id in _named(row)]
        if any(r is None for r in rows):
            self.stats.missing += sum(r is None for r in rows)
            self._problem(f"article {row['id']}: a capture the archive does not hold")
            return None
        named = [captures[record_id] for record_id in _named(row)]
        rendered = next((i for i, c in enumerate(named[1:], 1) if _is_rendered(c, named[0])), None)
        if rendered is None:
            row["capture_rows"] = rows
            places = [self._place(r) for r in rows if r is not None]
            return _Task(row["id"], places[0], tuple(places[1:]))
        frames = [c for c in named[1:] if c["type"] == "resource"]
        own = self._rendered_record(named[rendered], frames, captures)
        payload = _response(captures, own["record_id"])
        assert payload is not None
        row["capture_rows"], row["frame_rows"] = [rows[0], own], {f["record_id"]: f for f in frames}
        return _Task(
            row["id"], self._place(rows[0]), (), self._place(payload), self._place(own), own["record_id"],
            tuple(map(self._place, frames)),
        )  # fmt: skip

    def _rendered_record(
        self, named: dict[str, Any], frames: list[dict[str, Any]], captures: dict[str, dict[str, Any]]
    ) -> dict[str, Any]:
        """The rendered page's own record, whose frames are read: the one the article names, but where a
        frame it names was captured with another record of the page (its ``refers_to``, or, in an archive
        written before frames' rows named it, its record's ``WARC-Concurrent-To``: an archive whose
        article names the response a rendered revisit repeats), that record."""
        for frame in frames:
            other = frame.get("refers_to") or self._concurrent_to(frame)
            if other and other != named["record_id"]:
                found = captures.get(other) or capture_rows(self.conn, [other]).get(other)
                if found is not None and _is_rendered(found, named) and _response(captures | {other: found}, other):
                    captures[other] = found
                    return found
        return named

    def _concurrent_to(self, frame: dict[str, Any]) -> str | None:
        """The record a frame's ``resource`` record was captured with (its ``WARC-Concurrent-To``), or None."""
        try:
            return read_resource(*self._place(frame)).concurrent_to
        except WarcError:
            return None  # unreadable: the task reading it reports it

    def _place(self, capture: dict[str, Any] | None) -> tuple[str, int]:
        assert capture is not None
        return str(self.base / capture["warc_file"]), int(capture["offset"])

    # -- comparing and saving ---------------------------------------------------------------------

    def _compare(self, result: _Result) -> None:
        held = self._held.pop(result.article_id)
        if result.article is None:
            if result.problem == NOT_AN_ARTICLE:
                self.stats.not_article += 1
            else:
                self.stats.missing += result.missing
                self._problem(result.problem or "")
            return
        article = result.article
        captures = held["capture_rows"]
        if "frame_rows" in held:  # rendered: the page as rendered, and the frame whose comments were read
            frame = [self._frame_row(held["frame_rows"], result.frame)] if result.frame is not None else []
            frame = [f for f in frame if f is not None]
            article["capture"], article["comment_captures"] = captures[0], [captures[1], *frame]
        else:
            article["capture"], article["comment_captures"] = captures[0], captures[1 : 1 + result.comment_pages]
        differ = [name for name in FIELDS if _stored(held, name) != article.get(name)]
        if self._comments_differ(result.article_id, article):
            differ.append("comments")
        self.stats.fields.update(differ)
        if differ:
            self.stats.changed += 1
        elif held["extractor_version"] != article.get("extractor_version") or _named(held) != _named_of(article):
            self.stats.versions += 1
        else:
            return  # reads as the archive holds it: nothing to save
        self._pending.append(article)
        self._seen.append(seen_time(datetime.fromisoformat(captures[0]["fetched_at"])))
        if len(self._pending) >= self.batch_size:
            self._flush()

    def _frame_row(self, named: dict[str, dict[str, Any]], record_id: str) -> dict[str, Any] | None:
        """The captures row of a frame's record (the one the article names, or the archive's), or None."""
        return named.get(record_id) or capture_rows(self.conn, [record_id]).get(record_id)

    def _comments_differ(self, article_id: int, article: dict[str, Any]) -> bool:
        """Whether the comments read differ from those the archive holds from the same pages (by content)."""
        comments = article.get("comments") or []
        pages = {article.get("url"), *(c.get("page_url") for c in comments)}
        pages |= {c["url"] for c in article["comment_captures"]}
        stored = self.conn.execute(
            f"SELECT page_url, {', '.join(_COMMENT_CONTENT)} FROM comments WHERE article_id = ? AND deleted = 0",
            [article_id],
        ).fetchall()
        held = Counter(tuple(row[1:]) for row in stored if row[0] in pages or row[0] is None)
        read = Counter(tuple(c.get(name) for name in _COMMENT_CONTENT) for c in comments)
        return held != read

    def _flush(self) -> None:
        if not self._pending:
            return
        counts = self.archive.save(self._pending, dry_run=self.dry_run, seen=self._seen)
        self._pending, self._seen = [], []
        self.stats.saved.update({name: value for name, value in vars(counts).items() if value})

    def _problem(self, text: str) -> None:
        if len(self.stats.problems) < 5:
            self.stats.problems.append(text)


def _named(row: dict[str, Any]) -> list[str]:
    """The record ids an article row names: its page's capture, then its comment pages'."""
    pages = json.loads(row["comment_captures"]) if row.get("comment_captures") else []
    return [row["capture"], *pages] if row.get("capture") else list(pages)


def _is_rendered(capture: dict[str, Any], page: dict[str, Any]) -> bool:
    """Whether an article's comment capture is its page as rendered (a comment page never has the page's URL)."""
    return capture["type"] in ("response", "revisit") and page_key(capture["url"]) == page_key(page["url"])


def _named_of(article: dict[str, Any]) -> list[str]:
    return [c["record_id"] for c in [article["capture"], *article["comment_captures"]]]


def _response(captures: dict[str, dict[str, Any]], record_id: str) -> dict[str, Any] | None:
    """The response record a capture's payload is in (a revisit's: the one it refers to), or None."""
    capture = captures.get(record_id)
    if capture is not None and capture["type"] == "revisit":
        return captures.get(capture["refers_to"] or "")
    return capture


def _stored(row: dict[str, Any], name: str) -> Any:
    """A field as the archive holds it, in the item's form (authors: a list)."""
    value = row[name]
    return (json.loads(value) if value else []) if name == "authors" else value


def reextract(archive: Archive, **options: Any) -> ReextractStats:
    """Re-extract the articles of an archive (see ``Reextractor``)."""
    return Reextractor(archive, **options).run()
