"""The article record that a crawl's JSON Lines and ``archiver export`` both give (``article.schema.json``).

The JSON Schema shipped beside this module defines the record's keys, their order, types and
meanings; the field names here are read from it, so the two outputs cannot drift apart.
"""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from typing import Any

from archiver.urls import canonicalize

#: The JSON Schema of one record, inside the package.
SCHEMA_FILE = "article.schema.json"


def schema_text() -> str:
    """The record's JSON Schema, as shipped."""
    return files("archiver.archive").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


SCHEMA: dict[str, Any] = json.loads(schema_text())
#: The schema's identifier, which names the record's version ("urn:archiver:article-record:1").
SCHEMA_ID: str = SCHEMA["$id"]
#: An article's keys, in order, without its lists of comments and revisions.
ARTICLE_FIELDS = tuple(name for name in SCHEMA["properties"] if name not in {"comments", "revisions"})
COMMENT_FIELDS = tuple(SCHEMA["$defs"]["comment"]["properties"])
REVISION_FIELDS = tuple(SCHEMA["$defs"]["revision"]["properties"])


def stable_id(canonical_url: str) -> str:
    """An article's id in every crawl file and archive: the SHA-256 (hex) of its canonical URL in UTF-8."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()


def capture_reference(capture: dict[str, Any] | None) -> dict[str, Any] | None:
    """A capture (a ``captures`` row) as the record names it: URL, date, file, offset, length, digest, record id."""
    if not capture:
        return None
    return {
        "url": capture["url"],
        "date": capture["fetched_at"],
        "file": capture["warc_file"],
        "offset": capture["offset"],
        "length": capture["length"],
        "digest": capture["payload_digest"],
        "record_id": capture["record_id"],
    }


def crawl_record(article: dict[str, Any]) -> dict[str, Any]:
    """The record of an article as a crawl gives it (a dict of Article fields, comments as dicts).

    What only an archive knows (its row id, first and last seen, last changed) is None; every
    comment is one the page showed, so none is deleted. (An item without a URL, which validation
    drops before any feed sees it, gets no id.)
    """
    url = article.get("canonical_url") or article.get("url")
    canonical = canonicalize(url) if url else None
    comments = article.get("comments") or []
    values = {
        **article,
        "id": stable_id(canonical) if canonical else None,
        "canonical_url": canonical,
        "comment_count": len(comments),
    }
    record = {name: values.get(name) for name in ARTICLE_FIELDS}
    record["authors"] = record["authors"] or []
    record["provenance"] = record["provenance"] or {}
    record["capture"] = capture_reference(record["capture"])
    record["comment_captures"] = [capture_reference(c) for c in record["comment_captures"] or []]
    record["comments"] = [{**{name: c.get(name) for name in COMMENT_FIELDS}, "deleted": False} for c in comments]
    return record
