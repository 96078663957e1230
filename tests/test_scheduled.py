"""Scheduled runs from a sources file, against a site on 127.0.0.1 that changes between runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.changing_site import ChangingSite
from tests.conftest import LOCAL_CRAWL_FLAGS, count, rows, run_archiver, start_archiver, wait_for

OLD = "news/2024/03/story-2.html"


def _articles(site: ChangingSite, paths: list[str]) -> list[str]:
    return sorted(p.lstrip("/") for p in paths if p.lstrip("/") in site.articles)


def test_each_run_fetches_only_what_is_new_or_changed(tmp_path: Path) -> None:
    with ChangingSite(articles=6, fresh=1) as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml(fresh_days=14, interval_days=30))
        db = tmp_path / "archive.db"
        crawl = ("crawl", "--sources", "sources.toml", "--db", str(db))

        first = run_archiver(*crawl, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert _articles(site, site.fetched(200)) == sorted(site.articles)
        assert rows(db, "SELECT count(*) FROM articles")[0][0] == 7
        assert rows(db, "SELECT count(*) FROM comments")[0][0] == 14
        assert "7 new articles" in first.stdout

        # Run 2, nothing changed: listings are read in full, articles answer 304, nothing is new.
        site.log.clear()
        second = run_archiver(*crawl, cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        fetched = site.fetched()
        listings = {"/", "/sitemap.xml", "/sitemap-news.xml", "/feed.xml", "/robots.txt"}
        assert {"/", "/sitemap.xml", "/sitemap-news.xml", "/feed.xml"} <= set(fetched)
        assert sorted(site.fetched(200)) == sorted(p for p in fetched if p in listings)
        fresh = [s for s in site.articles if not s.startswith("news/2024")]
        assert _articles(site, fetched) == fresh  # only the young article, for its comments: a 304
        assert "0 new articles, 0 changed, 0 new comments" in second.stdout
        assert rows(db, "SELECT count(*) FROM revisions")[0][0] == 0
        # a 304 marks the article seen
        seen = rows(db, "SELECT a.last_seen, a.first_seen FROM articles a JOIN article_urls u ON u.article_id = a.id "
                        "WHERE u.url = ?", (site.url + fresh[0],))[0]  # fmt: skip
        assert seen["last_seen"] >= seen["first_seen"]

        # Run 3: one new article, one old article edited, a comment on the young one.
        site.log.clear()
        new = site.add_article(99)
        site.edit_article(OLD, "Story 2: the council changes course")
        site.add_comment(fresh[0], "Late Reader", "A third comment, added after the first run.")
        site.touch()
        third = run_archiver(*crawl, cwd=tmp_path)
        assert third.returncode == 0, third.stderr
        assert _articles(site, site.fetched(200)) == sorted([new, OLD, fresh[0]])
        assert "1 new articles, 1 changed, 1 new comments" in third.stdout
        assert rows(db, "SELECT count(*) FROM articles")[0][0] == 8
        revision = rows(db, "SELECT r.title FROM revisions r")
        assert [r["title"] for r in revision] == ["Story 2: the council and the river"]
        numbers = rows(
            db,
            "SELECT c.number, c.author FROM comments c JOIN article_urls u ON u.article_id = c.article_id "
            "WHERE u.url = ? ORDER BY c.number",
            (site.url + fresh[0],),
        )
        assert [(r["number"], r["author"]) for r in numbers][-1] == (3, "Late Reader")

    runs = run_archiver("runs", "--db", str(db), "--json", cwd=tmp_path)
    assert runs.returncode == 0, runs.stderr
    listed = json.loads(runs.stdout)
    assert [r["total"]["new_articles"] for r in listed] == [1, 0, 7]
    assert [r["total"]["changed_articles"] for r in listed] == [1, 0, 0]
    assert listed[1]["total"]["not_modified"] >= 1
    assert listed[0]["crawls"][0]["source"] == "river"
    stored = rows(db, "SELECT report FROM crawls WHERE run_id IS NOT NULL ORDER BY started")
    assert json.loads(stored[2]["report"])["new_comments"] == 1
    assert not (tmp_path / "archive.db.jobs" / "sources" / "river").exists()  # finished: no state left


def test_interrupted_run_resumes_without_fetching_twice(tmp_path: Path) -> None:
    with ChangingSite(articles=24, fresh=2, delay=0.25) as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml().replace("concurrency = 8", "concurrency = 2"))
        db = tmp_path / "archive.db"
        crawl = ("crawl", "--sources", "sources.toml", "--db", str(db))
        process = start_archiver(*crawl, cwd=tmp_path)
        try:
            assert wait_for(lambda: len(_articles(site, site.fetched(200))) >= 5, 60)
            process.send_signal(signal.SIGTERM)  # what `kill` and systemd send
            out, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        assert "resumes on the next run" in out, out + err
        first = _articles(site, site.fetched(200))
        assert 5 <= len(first) < len(site.articles)
        assert (tmp_path / "archive.db.jobs" / "sources" / "river" / "archiver-paused.json").is_file()

        site.delay = 0
        second = run_archiver(*crawl, cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert "resumed where the last run stopped: river" in second.stdout
        fetched = Counter(_articles(site, site.fetched(200)))
        assert sorted(fetched) == sorted(site.articles)
        assert max(fetched.values()) == 1, fetched  # nothing fetched twice
        assert Counter(site.fetched())["/"] == 1
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 26
    assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"


def test_killed_run_starts_over_and_keeps_what_was_archived(tmp_path: Path) -> None:
    with ChangingSite(articles=20, fresh=0, delay=0.2) as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml().replace("concurrency = 8", "concurrency = 2"))
        db = tmp_path / "archive.db"
        crawl = ("crawl", "--sources", "sources.toml", "--db", str(db), "-s", "ARCHIVER_ARCHIVE_BATCH_SIZE=1")
        process = start_archiver(*crawl, cwd=tmp_path)
        try:
            assert wait_for(lambda: count(db, "articles") >= 3, 60)
            process.kill()
            process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        archived = {r[0] for r in rows(db, "SELECT url FROM articles")}
        assert archived
        site.delay = 0
        site.log.clear()
        second = run_archiver(*crawl, cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert "the last run was killed; started over" in second.stdout
        refetched = {site.url + p for p in _articles(site, site.fetched(200))}
        assert not refetched & archived  # what the archive holds is not fetched again
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 20
    assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"


def test_a_second_run_exits_at_once_with_the_lock_message(tmp_path: Path) -> None:
    with ChangingSite(articles=30, fresh=0, delay=0.3) as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml().replace("concurrency = 8", "concurrency = 1"))
        crawl = ("crawl", "--sources", "sources.toml", "--db", "archive.db")
        first = start_archiver(*crawl, cwd=tmp_path)
        try:
            assert wait_for(lambda: len(site.fetched()) >= 2, 60)
            second = run_archiver(*crawl, cwd=tmp_path, timeout=60)
            assert second.returncode == 3, second.stdout + second.stderr
            assert "another run is using the archive" in second.stderr
            assert "pid" in second.stderr and "Traceback" not in second.stderr
            assert len(second.stderr.strip().splitlines()) == 1
            assert first.poll() is None  # the first run goes on
            site.delay = 0
            _, err = first.communicate(timeout=120)
            assert first.returncode == 0, err
        finally:
            if first.poll() is None:
                first.kill()
                first.communicate()


def test_check_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[defaults]\ndelay = 1\n\n[[site]]\nname = "good"\nstart_urls = ["https://example.org/"]\n\n'
        '[[site]]\nname = "bad"\nstart_urls = ["https://example.org/", "ftp://example.org/"]\n'
        'include = ["("]\ndepth = -1\ncolour = "red"\n[site.recrawl]\nfresh_days = "soon"\n'
    )
    result = run_archiver("check", str(sources), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert f"{sources}:10: site 'bad': start_urls: 'ftp://example.org/' is not an absolute http(s) URL" in lines
    assert any(line.startswith(f"{sources}:11: site 'bad': include: '('") for line in lines)
    assert f"{sources}:12: site 'bad': depth must be between 0 and 100, not -1" in lines
    assert f"{sources}:13: site 'bad': unknown key 'colour'" in lines
    assert any(line.startswith(f"{sources}:15: site 'bad': recrawl: fresh_days must be a number") for line in lines)
    assert "Traceback" not in result.stderr

    crawl = run_archiver("crawl", "--sources", str(sources), "--db", "archive.db", cwd=tmp_path)
    assert crawl.returncode == 2 and "ftp://example.org/" in crawl.stderr
    assert not (tmp_path / "archive.db").exists()

    sources.write_text('[[site]]\nname = "good"\nstart_urls = ["https://example.org/"]\n')
    ok = run_archiver("check", str(sources), cwd=tmp_path)
    assert ok.returncode == 0 and "ok, 1 site(s)" in ok.stdout

    sources.write_text("[[site]\nname = 'x'\n")
    broken = run_archiver("check", str(sources), cwd=tmp_path)
    assert broken.returncode == 1 and "not valid TOML" in broken.stderr and "line 1" in broken.stderr


def test_sources_and_urls_together_are_refused(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text('[[site]]\nname = "a"\nstart_urls = ["https://example.org/"]\n')
    result = run_archiver("crawl", "https://example.org/", "--sources", "sources.toml", cwd=tmp_path)
    assert result.returncode == 2 and "not both" in result.stderr


def test_one_site_of_a_sources_file_under_scrapy_crawl(tmp_path: Path) -> None:
    """What Scrapyd runs: ``scrapy crawl articles -a sources=FILE -a source=NAME``."""
    scrapy = Path(sys.executable).with_name("scrapy")
    with ChangingSite(articles=3, fresh=0) as site:
        (tmp_path / "sources.toml").write_text(site.sources_toml())
        command = [str(scrapy), "crawl", "articles", "-a", "sources=sources.toml", "-a", "source=river",
                   "-s", "ARCHIVER_ARCHIVE_PATH=archive.db", "-s", "ARCHIVER_RECRAWL_ENABLED=True",
                   *LOCAL_CRAWL_FLAGS, "-s", "LOG_LEVEL=WARNING"]  # fmt: skip
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "archiver.settings"}
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert rows(tmp_path / "archive.db", "SELECT count(*) FROM articles")[0][0] == 3
        assert "/feed.xml" in site.fetched() and "/sitemap-news.xml" in site.fetched()
        missing = subprocess.run(
            [*command[:6], "source=nowhere"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert missing.returncode != 0 and "no site named 'nowhere'" in missing.stderr
