"""Feed exports: a storage that never leaves a partial file, a JSON Lines exporter of article records."""

from __future__ import annotations

import os
from dataclasses import fields
from typing import IO, Any

from scrapy.exporters import BaseItemExporter, JsonLinesItemExporter
from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.utils.python import to_bytes

from archiver.archive.record import crawl_record
from archiver.items import Article, item_asdict, plain_article_dict

#: Scrapy applies a field's "serializer" metadata; the fast path does not.
_ARTICLE_HAS_SERIALIZERS = any("serializer" in f.metadata for f in fields(Article))


class AtomicFileFeedStorage(FileFeedStorage):
    """Writes ``<path>.part`` and renames it to ``<path>`` when the feed is complete."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.final_path = self.path
        self.path = f"{self.path}.part"
        self.write_mode = "wb"  # a .part file left by a killed crawl is never appended to

    def store(self, file: IO[bytes]) -> None:
        file.close()
        os.replace(self.path, self.final_path)


class ArticleJsonLinesExporter(JsonLinesItemExporter):
    """Scrapy's JSON Lines exporter, given each Article as its record (``archiver.archive.record``).

    An Article is written as the same record ``archiver export`` gives (``article.schema.json``),
    byte for byte what Scrapy's own exporter writes for that record. A plain Article goes to the
    encoder as plain dicts: Scrapy's encoder turns each nested Comment into a dict through
    ItemAdapter, which costs more than the encoding itself. ``fields_to_export``
    (``FEED_EXPORT_FIELDS``, naming record keys) and field serializers take Scrapy's own path with
    the record; items of other types are written as Scrapy writes them.
    """

    def __init__(self, file: Any, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self.fast = (
            self.fields_to_export is None
            and not _ARTICLE_HAS_SERIALIZERS
            and type(self).serialize_field is BaseItemExporter.serialize_field
        )

    def export_item(self, item: Any) -> None:
        if not isinstance(item, Article):
            super().export_item(item)
            return
        plain = plain_article_dict(item) if self.fast else None
        if plain is None:
            super().export_item(crawl_record(item_asdict(item)))
            return
        data = self.encoder.encode(crawl_record(plain)) + "\n"
        self.file.write(to_bytes(data, self.encoding))
