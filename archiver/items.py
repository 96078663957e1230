"""Items: what a crawl yields, read and written through ItemAdapter."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Comment:
    """One reader comment under an article, numbered as the page numbers it."""

    number: int | None = None
    #: "page" when the number is the one the page shows, "order" when it is the position.
    number_source: str | None = None
    author: str | None = None
    author_url: str | None = None
    #: ISO 8601: date, or date and time, with the offset when the page gives one.
    published: str | None = None
    published_raw: str | None = None
    #: True when the page gave a relative date ("3 days ago"), resolved against the fetch time.
    published_relative: bool | None = None
    body: str | None = None
    #: number of the comment this one replies to, or None.
    parent: int | None = None
    #: the page's own id for the comment, such as "comment-45".
    anchor: str | None = None
    #: "comment", "pingback" or "trackback".
    kind: str = "comment"


@dataclass
class Article:
    """One article page with its fields, their provenance and its comments."""

    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    byline_raw: str | None = None
    published: str | None = None
    published_raw: str | None = None
    modified: str | None = None
    modified_raw: str | None = None
    body: str | None = None
    language: str | None = None
    #: "present", "none", "closed" or "external:<service>".
    comments_status: str | None = None
    comments: list[Comment] = field(default_factory=list)
    #: field name -> the layer and rule that gave it ("jsonld", "meta:og", "heuristic"...).
    provenance: dict[str, str] = field(default_factory=dict)
    fetched_at: str | None = None
