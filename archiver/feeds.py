"""A feed storage that never leaves a partial file under the final name."""

from __future__ import annotations

import os
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage


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
