"""The archive's schema, in one place, as sqlite-utils migrations applied on open."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("archiver")

#: Bumped with every migration; recorded in the ``archive_info`` table.
SCHEMA_VERSION = 1


@migrations()
def m001_articles_and_comments(db: Database) -> None:
    """Articles keyed by canonical URL, and their comments as rows keyed by (article, number)."""
    db.table("articles").create(
        {
            "id": int,
            "canonical_url": str,
            "url": str,
            "title": str,
            "authors": str,
            "byline_raw": str,
            "published": str,
            "published_raw": str,
            "modified": str,
            "modified_raw": str,
            "body": str,
            "language": str,
            "comments_status": str,
            "comment_count": int,
            "provenance": str,
            "fetched_at": str,
            "first_seen": str,
            "last_seen": str,
            "content_hash": str,
        },
        pk="id",
        not_null={"canonical_url"},
    )
    db.table("articles").create_index(["canonical_url"], unique=True)
    db.table("comments").create(
        {
            "article_id": int,
            "number": int,
            "number_source": str,
            "author": str,
            "author_url": str,
            "published": str,
            "published_raw": str,
            "published_relative": bool,
            "body": str,
            "parent": int,
            "anchor": str,
            "kind": str,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk=("article_id", "number"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("archive_info").create({"key": str, "value": str}, pk="key")


def migrate(db: Database) -> None:
    """Bring an archive of any earlier version up to the current schema."""
    if not migrations.pending(db):
        return
    migrations.apply(db)
    db.table("archive_info").upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")
