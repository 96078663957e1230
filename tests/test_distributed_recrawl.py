"""Conditional requests, sources files and the recrawl policy in a distributed crawl (real Redis, real site)."""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import timedelta
from pathlib import Path

import redis

from archiver.archive import Archive
from archiver.archive.recrawl import ArchiveState, RecrawlPolicy
from archiver.distributed.mirror import Mirror, RedisState
from archiver.distributed.state import Keys
from tests.changing_site import ChangingSite
from tests.conftest import RECRAWL_NOW as NOW
from tests.conftest import REDIS_DRAIN_ARGS as DRAIN
from tests.conftest import REDIS_WORKER_ARGS as WORKER
from tests.conftest import count, finish, recrawl_archive, rows, run_archiver, start_archiver

OLD = "news/2024/03/story-2.html"
LISTINGS = {"/", "/robots.txt", "/sitemap.xml", "/sitemap-news.xml", "/feed.xml"}


def distributed_run(tmp_path: Path, redis_url: str, db: Path, *enqueue: str, workers: int = 2) -> str:
    """One crawl: enqueue, then a drain and ``workers`` workers until the crawl is over; enqueue's output."""
    queued = run_archiver("enqueue", "--redis", redis_url, *enqueue, cwd=tmp_path)
    assert queued.returncode == 0, queued.stderr
    processes: list[subprocess.Popen[str]] = []
    try:
        processes.append(start_archiver("drain", "--redis", redis_url, "--db", str(db), *DRAIN, cwd=tmp_path))
        processes += [start_archiver("crawl", "--redis", redis_url, *WORKER, cwd=tmp_path) for _ in range(workers)]
        outputs = [finish(p) for p in processes]
    finally:
        for process in processes:
            process.kill()
    assert [p.returncode for p in processes] == [0] * len(processes), [err[-2000:] for _, err in outputs]
    return queued.stdout


def article_paths(site: ChangingSite, status: int | None = None) -> Counter[str]:
    """How many times each article page was requested (with that status)."""
    return Counter(p.lstrip("/") for p in site.fetched(status) if p.lstrip("/") in site.articles)


def test_a_second_distributed_crawl_asks_conditionally_and_writes_nothing_new(tmp_path: Path, redis_url: str) -> None:
    db = tmp_path / "archive.db"
    with ChangingSite(articles=6, fresh=1) as site:
        distributed_run(tmp_path, redis_url, db, site.url)
        assert article_paths(site, 200) == Counter(list(site.articles))
        assert count(db, "articles") == 7 and count(db, "comments") == 14
        before = {r["url"]: r["last_seen"] for r in rows(db, "SELECT url, last_seen FROM articles")}
        first_fetches = count(db, "fetches")

        site.log.clear()
        distributed_run(tmp_path, redis_url, db, "--fresh", site.url)  # a new crawl of the same site
        # every archived article asked with its validators, answered 304, once; the listing in full
        assert article_paths(site) == Counter(list(site.articles))
        assert article_paths(site, 304) == Counter(list(site.articles))
        assert {p for p in site.fetched(200)} <= LISTINGS
    assert count(db, "articles") == 7 and count(db, "comments") == 14
    assert count(db, "revisions") == 0 and count(db, "comment_revisions") == 0
    statuses = rows(db, "SELECT status, count(*) AS n FROM fetches WHERE url LIKE '%/news/%' GROUP BY status")
    assert [(r["status"], r["n"]) for r in statuses] == [(304, 7)]
    assert count(db, "fetches") == first_fetches
    after = {r["url"]: r["last_seen"] for r in rows(db, "SELECT url, last_seen FROM articles")}
    assert all(after[url] > before[url] for url in before)  # the drain marked each 304'd article seen
    stats = [r[0] for r in rows(db, "SELECT stats FROM crawls ORDER BY started")]
    assert len(stats) == 4 and sum('"archiver/conditional/not_modified": ' in s for s in stats[2:]) >= 1


def test_sources_with_two_workers_fetch_only_what_is_new_changed_or_due(tmp_path: Path, redis_url: str) -> None:
    db = tmp_path / "archive.db"
    with ChangingSite(articles=6, fresh=1) as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml(fresh_days=14, interval_days=30))
        first = distributed_run(tmp_path, redis_url, db, "--sources", "sources.toml")
        assert "no drain has mirrored an archive into this Redis yet" in first
        assert "river: enqueued 3 requests (0 archived articles due" in first  # start page, sitemap, feed
        assert article_paths(site, 200) == Counter(list(site.articles))  # each article once across both workers
        assert count(db, "articles") == 7 and count(db, "comments") == 14
        fresh = next(s for s in site.articles if not s.startswith("news/2024"))

        # Run 2: one old article edited, one article added; the young one unchanged.
        site.log.clear()
        site.edit_article(OLD, "Story 2: the council changes course")
        new = site.add_article(99)
        site.touch()
        second = distributed_run(tmp_path, redis_url, db, "--fresh", "--sources", "sources.toml")
        assert "as the drain mirrors it: 7 article URLs" in second
        assert "river: enqueued 4 requests (1 archived articles due" in second  # the young article
        # the edited one (its sitemap lastmod moved) and the new one in full, the young one asked
        # conditionally, the other five old ones not at all
        assert article_paths(site) == Counter([OLD, new, fresh])
        assert article_paths(site, 200) == Counter([OLD, new]) and article_paths(site, 304) == Counter([fresh])
        assert set(site.fetched()) - {f"/{p}" for p in (OLD, new, fresh)} <= LISTINGS
    assert count(db, "articles") == 8
    assert [r["title"] for r in rows(db, "SELECT title FROM revisions")] == ["Story 2: the council and the river"]
    stats = "".join(r[0] for r in rows(db, "SELECT stats FROM crawls WHERE finish_reason IS NOT NULL"))
    assert '"archiver/recrawl/skip/not_due"' in stats and '"archiver/recrawl/fetch/changed"' in stats


def test_the_mirror_in_redis_answers_as_the_archive_does(tmp_path: Path, redis_url: str) -> None:
    path = tmp_path / "a.db"
    recrawl_archive(path)
    server = redis.Redis.from_url(redis_url)
    archive = Archive(path)
    try:
        assert Mirror(server, Keys()).seed(archive.db.conn, str(path)) == (4, 3)
        policy = RecrawlPolicy(fresh_days=14, interval_days=7)
        local, mirrored = ArchiveState(path, policy), RedisState(server, Keys(), policy)
        urls = [f"https://example.org/{p}" for p in ("new", "young", "old", "failed", "list", "old?utm_source=x#top")]
        for when in (NOW, NOW + timedelta(days=7)):
            for lastmod in (None, "2026-05-01T00:00:00Z", "2026-05-31T00:00:00Z"):
                for url in urls:
                    assert mirrored.should_fetch(url, lastmod, now=when) == local.should_fetch(url, lastmod, now=when)
        for url in urls:
            assert mirrored.validators(url) == local.validators(url)
        assert mirrored.validators("https://example.org/old") == ('"e1"', None)
        assert sorted(mirrored.due_articles(("example.org",), now=NOW)) == sorted(
            local.due_articles(("example.org",), now=NOW)
        )
        # a URL with no policy (not a sources file's site) is always fetched
        anywhere = RedisState(server, Keys(), policy_for=lambda url: None)
        assert anywhere.should_fetch("https://example.org/old", now=NOW) == (True, "unscheduled")
        local.close()
    finally:
        archive.close()
        server.close()


def test_a_bad_sources_file_is_one_clear_line_and_queues_nothing(tmp_path: Path, redis_url: str) -> None:
    (tmp_path / "sources.toml").write_text(
        '[[site]]\nname = "a"\nstart_urls = ["https://a.example/"]\nprofile = "nope"\n'
    )
    (tmp_path / "broken.toml").write_text('[[site]]\nname = "b"\nstart_urls = ["ftp://b.example/"]\n')
    results = [
        run_archiver("enqueue", "--redis", redis_url, "--sources", name, cwd=tmp_path)
        for name in ("sources.toml", "broken.toml", "missing.toml")
    ]
    messages = [r.stderr.strip().splitlines()[-1] for r in results]
    assert [r.returncode for r in results] == [2, 2, 2], messages
    assert "sources.toml:4: site 'a': no site profile named 'nope'" in messages[0]
    assert "broken.toml:3: site 'b': start_urls: 'ftp://b.example/' is not an absolute http(s) URL" in messages[1]
    assert "missing.toml: cannot read" in messages[2]
    assert not any("Traceback" in r.stderr for r in results)
    check = redis.Redis.from_url(redis_url)
    try:
        assert check.keys("*") == []
    finally:
        check.close()


def test_prefetched_lookups_answer_as_single_ones(tmp_path: Path, redis_url: str) -> None:
    path = tmp_path / "a.db"
    recrawl_archive(path)
    server = redis.Redis.from_url(redis_url)
    archive = Archive(path)
    try:
        Mirror(server, Keys()).seed(archive.db.conn, str(path))
        state = RedisState(server, Keys(), RecrawlPolicy(fresh_days=14, interval_days=7))
        urls = [f"https://example.org/{p}" for p in ("new", "young", "old", "failed", "list", "old?utm_source=x")]
        one_by_one = [state.should_fetch(url, now=NOW) for url in urls]
        with state.prefetched(urls):
            server.delete("articles:fetches", "articles:archived")  # answered from the prefetch alone
            together = [state.should_fetch(url, now=NOW) for url in urls]
        assert together == one_by_one
        assert state.should_fetch("https://example.org/old", now=NOW) == (True, "new")  # the prefetch is gone
    finally:
        archive.close()
        server.close()


def test_a_workers_revisit_names_the_record_another_worker_wrote(tmp_path: Path, redis_url: str) -> None:
    """Issue 18: each worker writes its own WARC files; a page another worker (here: the first run's
    only worker) captured is written again as a revisit naming that worker's record, by the URL and
    date and payload digest the drain mirrored (``<spider>:captured``)."""
    from warcio.archiveiterator import ArchiveIterator

    db = tmp_path / "archive.db"
    with ChangingSite(articles=6, fresh=1) as site:
        distributed_run(tmp_path, redis_url, db, site.url, workers=1)
        first = {r["record_id"]: dict(r) for r in rows(db, "SELECT * FROM captures")}
        distributed_run(tmp_path, redis_url, db, "--fresh", site.url, workers=1)
    second = [dict(r) for r in rows(db, "SELECT * FROM captures") if r["record_id"] not in first]
    revisits = [r for r in second if r["type"] == "revisit"]
    assert len(revisits) >= 7 and {r["status"] for r in revisits} >= {304}  # the articles, asked conditionally
    (second_file,) = {r["warc_file"] for r in second}
    assert second_file not in {r["warc_file"] for r in first.values()}  # another worker's file
    for revisit in revisits:
        referred = first[revisit["refers_to"]]
        assert referred["type"] == "response" and referred["url"] == revisit["url"]
        assert referred["payload_digest"] == revisit["payload_digest"]
    with (tmp_path / second_file).open("rb") as stream:
        records = [r for r in ArchiveIterator(stream) if r.rec_type == "revisit"]
    assert len(records) == len(revisits)
    for record in records:
        referred = first[record.rec_headers.get_header("WARC-Refers-To")]
        assert record.rec_headers.get_header("WARC-Refers-To-Target-URI") == referred["url"]
        assert record.rec_headers.get_header("WARC-Refers-To-Date") == referred["fetched_at"]
        assert record.rec_headers.get_header("WARC-Payload-Digest") == referred["payload_digest"]
