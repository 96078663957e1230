"""A page's extraction as the crawl's workers run it: the article with its archive hashes computed beside it.

The archive hashes every article it saves (``archiver.archive.hashes``): its content hash, and its
body's for telling copies apart. Computed in the extraction worker, those cost the crawl's own
process nothing; they travel with the Article as an attribute that is not one of its fields (never
exported), and the archive uses them only while the article holds the values they were computed
from.
"""

from __future__ import annotations

from typing import Any

from archiver.archive.hashes import ARTICLE_CONTENT, ContentHashes
from archiver.extract import PageResult, read_page
from archiver.items import Article

#: The attribute of an Article that holds its ``ContentHashes`` (not one of its fields: never exported).
HASHES_ATTRIBUTE = "content_hashes"


def read_page_hashed(*args: Any) -> PageResult:
    """``read_page``, with the article's hashes (``hashes_of``) computed beside it."""
    result = read_page(*args)
    if result.article is not None:
        attach_hashes(result.article)
    return result


def attach_hashes(article: Article) -> None:
    """Compute the article's archive hashes now and keep them with it."""
    setattr(article, HASHES_ATTRIBUTE, ContentHashes.of({name: getattr(article, name) for name in ARTICLE_CONTENT}))


def hashes_of(item: Any) -> ContentHashes | None:
    """The hashes kept with an item (``attach_hashes``), or None."""
    found = getattr(item, HASHES_ATTRIBUTE, None)
    return found if isinstance(found, ContentHashes) else None
