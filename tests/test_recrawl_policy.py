"""When an archived URL is fetched again: the recrawl policy on a real archive."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from archiver.archive.recrawl import ArchiveState, RecrawlPolicy
from tests.conftest import RECRAWL_NOW as NOW
from tests.conftest import recrawl_archive


def test_should_fetch(tmp_path: Path) -> None:
    recrawl_archive(tmp_path / "a.db")
    state = ArchiveState(tmp_path / "a.db", RecrawlPolicy(fresh_days=14, interval_days=7))
    assert state.should_fetch("https://example.org/new", now=NOW) == (True, "new")
    assert state.should_fetch("https://example.org/young", now=NOW) == (True, "fresh")
    assert state.should_fetch("https://example.org/old", now=NOW) == (False, "not_due")
    assert state.should_fetch("https://example.org/old", now=NOW + timedelta(days=7)) == (True, "interval")
    assert state.should_fetch("https://example.org/old", "2026-05-31T00:00:00Z", now=NOW) == (True, "changed")
    assert state.should_fetch("https://example.org/old", "2026-05-01T00:00:00Z", now=NOW) == (False, "not_due")
    assert state.should_fetch("https://example.org/failed", now=NOW) == (True, "retry")
    assert state.should_fetch("https://example.org/list", now=NOW) == (True, "page")
    assert state.should_fetch("https://example.org/list", "2026-05-01T00:00:00Z", now=NOW) == (False, "unchanged")
    # tracking parameters and fragments do not make another article
    assert state.should_fetch("https://example.org/old?utm_source=x#top", now=NOW) == (False, "not_due")
    assert sorted(state.due_articles(("example.org",), now=NOW)) == [
        "https://example.org/failed",
        "https://example.org/young",
    ]
    assert list(state.due_articles(("other.org",), now=NOW)) == []
    never = ArchiveState(tmp_path / "a.db", RecrawlPolicy(fresh_days=0, interval_days=0))
    assert never.should_fetch("https://example.org/old", now=NOW + timedelta(days=900)) == (False, "not_due")
    state.close()
    never.close()


def test_validators_only_for_what_the_archive_holds(tmp_path: Path) -> None:
    recrawl_archive(tmp_path / "a.db")
    state = ArchiveState(tmp_path / "a.db")
    assert state.validators("https://example.org/old") == ('"e1"', None)
    # a listing page is read in full: unchanged, it can still link to articles that changed
    assert state.validators("https://example.org/list") is None
    assert state.validators("https://example.org/failed") is None
    assert state.validators("https://example.org/young?utm_medium=x") is None  # not the URL fetched
    state.close()
    assert ArchiveState(tmp_path / "missing.db").validators("https://example.org/old") is None
