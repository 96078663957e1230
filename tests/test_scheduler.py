"""Requests waiting to be fetched wait on disk, in a temporary folder removed at the end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from archiver.demo import SiteServer
from tests.conftest import crawl_local, rows


def _crawl(site: SiteServer, workdir: Path, *settings: str) -> tuple[dict[str, Any], Path]:
    """Crawl the demo site with TMPDIR in the work folder; the crawl's stats and that folder."""
    temp = workdir / "tmp"
    temp.mkdir(parents=True)
    result = crawl_local(site.url, *settings, cwd=workdir, env={"TMPDIR": str(temp)})
    assert result.returncode == 0, result.stderr + result.stdout
    (stats,) = rows(workdir / "archive.db", "SELECT stats FROM crawls")
    return json.loads(stats[0]), temp


def test_the_queue_waits_on_disk_and_is_removed_at_the_end(demo_site: SiteServer, tmp_path: Path) -> None:
    stats, temp = _crawl(demo_site, tmp_path)
    assert stats["scheduler/enqueued"] > 10
    assert stats["scheduler/enqueued/disk"] == stats["scheduler/enqueued"]  # every request could be pickled
    assert "scheduler/unserializable" not in stats
    assert stats["item_scraped_count"] > 0
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("value", ["False", "0"])
def test_the_queue_can_stay_in_memory(demo_site: SiteServer, tmp_path: Path, value: str) -> None:
    stats, temp = _crawl(demo_site, tmp_path, "-s", f"ARCHIVER_DISK_QUEUE={value}")
    assert stats["scheduler/enqueued/memory"] == stats["scheduler/enqueued"] > 10
    assert "scheduler/enqueued/disk" not in stats
    assert list(temp.iterdir()) == []
