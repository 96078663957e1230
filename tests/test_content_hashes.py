"""An article's archive hashes computed in the extraction worker: used by the archive only while the
article saved is the one hashed.

The crawl's workers compute each article's content and body hashes beside its extraction
(``archiver.crawl.hashing``); the archive takes them only when the article still holds the values
hashed, and computes its own for an article changed since (a spider may change an article after its
extraction, e.g. read it again from a rendering). Real pages, real SQLite files.
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from archiver.archive import Archive
from archiver.archive.hashes import ARTICLE_CONTENT, ContentHashes
from archiver.archive.store import body_hash, content_hash
from archiver.crawl.hashing import hashes_of, read_page_hashed
from archiver.crawl.spiders.articles import ArticlesSpider
from archiver.extract import read_page
from archiver.items import Article, item_asdict
from tests.conftest import FIXTURES, rows

PAGE = FIXTURES / "pages" / "wordpress-current-threaded.html"
URL = "https://example.org/2024/05/lock-gates/"


def worker_article() -> Article:
    """An article as the crawl's process receives it from a worker (pickled there and back)."""
    result = read_page_hashed(PAGE.read_bytes(), URL, datetime(2024, 6, 1, tzinfo=UTC), 60)
    assert result.article is not None
    article: Article = pickle.loads(pickle.dumps(result.article))
    return article


def saved(tmp_path: Path, item: Article) -> dict[str, Any]:
    """Save the item as the crawl's archive pipeline does; its row."""
    archive = Archive(tmp_path / "a.db")
    try:
        archive.save([item_asdict(item)], hashes=[hashes_of(item)])
    finally:
        archive.close()
    (row,) = rows(tmp_path / "a.db", "SELECT * FROM articles")
    return dict(row)


def expected(item: Article) -> tuple[str, str | None]:
    """The hashes the archive computes itself for the item as it is now."""
    values = item_asdict(item)
    return content_hash(values, ARTICLE_CONTENT), body_hash(values["body"])


def test_the_worker_hashes_are_the_archive_hashes(tmp_path: Path) -> None:
    article = worker_article()
    hashes = hashes_of(article)
    assert hashes is not None and hashes.body is not None  # a long body: copies are told apart by it
    assert (hashes.content, hashes.body) == expected(article)
    row = saved(tmp_path, article)
    assert (row["content_hash"], row["body_hash"]) == expected(article)
    assert "content_hashes" not in item_asdict(article)  # not a field: never exported


def test_the_archive_takes_the_hashes_of_an_unchanged_article(tmp_path: Path) -> None:
    """Hashes kept with an unchanged article are the ones stored (the archive does not hash it again)."""
    article = worker_article()
    real = hashes_of(article)
    assert real is not None
    marked = ContentHashes(real.values, real.types, "m" * 32, "n" * 64)
    article.content_hashes = marked  # type: ignore[attr-defined]
    row = saved(tmp_path, article)
    assert (row["content_hash"], row["body_hash"]) == ("m" * 32, "n" * 64)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda a: setattr(a, "body", a.body + " A paragraph read from the rendering."), id="body"),
        pytest.param(lambda a: setattr(a, "title", "Lock gates open again"), id="title"),
        pytest.param(lambda a: a.authors.append("Kim Ode"), id="authors-in-place"),
        pytest.param(lambda a: setattr(a, "authors", tuple(a.authors)), id="authors-as-tuple"),
        pytest.param(lambda a: setattr(a, "published", "2024-05-02"), id="published"),
        pytest.param(lambda a: setattr(a, "modified", "2024-05-03T10:00:00+00:00"), id="modified"),
        pytest.param(lambda a: setattr(a, "body", " ".join(a.body.split()[:30])), id="body-short"),
    ],
)
def test_stale_hashes_of_a_changed_article_are_not_trusted(tmp_path: Path, change: Any) -> None:
    """An article changed after its extraction gets the hashes of what is saved, not the worker's."""
    article = worker_article()
    before = hashes_of(article)
    change(article)
    assert before is not None and (before.content, before.body) != expected(article)
    row = saved(tmp_path, article)
    assert (row["content_hash"], row["body_hash"]) == expected(article)


def test_an_item_without_hashes_is_hashed_by_the_archive(tmp_path: Path) -> None:
    """Items of ``archiver extract``, imports and distributed crawls carry none: the archive computes them."""
    article = worker_article()
    del article.content_hashes  # type: ignore[attr-defined]
    assert hashes_of(article) is None
    row = saved(tmp_path, article)
    assert (row["content_hash"], row["body_hash"]) == expected(article)


@pytest.mark.parametrize(("archive", "hashed"), [("a.db", True), ("", False)])
def test_the_workers_hash_only_for_a_crawl_with_an_archive(archive: str, hashed: bool) -> None:
    """A worker of a distributed crawl has no archive (its items go to Redis as JSON, without the
    hashes, and the drain hashes them): its extraction workers do not compute them for nothing."""
    crawler = get_crawler(ArticlesSpider, {"ARCHIVER_ARCHIVE_PATH": archive})
    spider = ArticlesSpider.from_crawler(crawler, url="http://127.0.0.1:9/")
    try:
        assert spider.read_page is (read_page_hashed if hashed else read_page)
    finally:
        spider.workers.close()


#: Texts whose folding and ``repr`` take every path: printable ones with paragraphs, and those with
#: the white space, quotes, backslashes and unprintable characters that each shortcut must leave to
#: the plain computation (or escape as ``repr`` does).
_WORDS = "The lock gates opened at dawn and the boats went through one by one, " * 2
_TEXTS = [
    "",
    " ",
    "short",
    _WORDS.strip(),
    _WORDS,  # a space at the end
    " " + _WORDS.strip(),  # and at the start
    _WORDS.strip() + "\n\n" + _WORDS.strip(),
    _WORDS.strip() + "\n" + _WORDS.strip(),
    _WORDS.strip() + "\n\n\n" + _WORDS.strip(),  # three line breaks: two spaces once replaced
    _WORDS.strip() + "\n \n" + _WORDS.strip(),
    _WORDS.strip() + "  " + _WORDS.strip(),
    "\n" + _WORDS.strip() + "\n",
    _WORDS.strip() + "\t" + _WORDS.strip(),
    _WORDS.strip() + "\r\n" + _WORDS.strip(),
    _WORDS.strip() + "\x0b\x0c" + _WORDS.strip(),
    _WORDS.strip() + "\u00a0" + _WORDS.strip(),  # no-break space: white space to split()
    _WORDS.strip() + "\u2028\u2029\x85\x1c\x1f\u3000" + _WORDS.strip(),
    _WORDS.strip() + "\u200b\u00ad" + _WORDS.strip(),  # zero width space, soft hyphen: not white space
    _WORDS.strip() + " \x00 \x7f \x9f " + _WORDS.strip(),
    "Ünïcödé wörds — «quoted» “curly” 日本語のテキスト " * 3,
    _WORDS + "it's",  # a single quote: repr writes double quotes
    _WORDS + 'say "no"',
    _WORDS + 'it\'s "both"',  # both: repr escapes the single quotes
    _WORDS + "a back\\slash and \\n written out",
    _WORDS + "\U0001f600 an emoji, \udc80 a lone surrogate",
    _WORDS + "\n\t\r\\'\"",
]


@pytest.mark.parametrize("text", _TEXTS)
def test_hashes_are_those_of_the_plain_formulas(text: str) -> None:
    """The body hash folds white space as ``" ".join(text.split())`` and the content hash hashes the
    ``repr`` of the values: their shortcuts give the very same values (stored hashes stay valid)."""
    import hashlib

    from archiver.archive.hashes import digest, folded

    assert folded(text) == " ".join(text.split())
    words = " ".join(text.split())
    assert body_hash(text) == (hashlib.sha256(words.lower().encode("utf-8")).hexdigest() if len(words) >= 200 else None)
    values = [text, ["A. Author", text], None, 3, text[:70]]
    plain = hashlib.blake2b(repr(values).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    assert digest(values) == plain
