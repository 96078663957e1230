"""Stopping a polite crawl: the requests waiting for their turn in a site's download slot are not
sent; a run with a job folder keeps them for the next run, which fetches them (nothing lost, nothing twice)."""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path

from tests.changing_site import ChangingSite
from tests.conftest import finish, rows, run_archiver, start_archiver, wait_for


def test_sigterm_sends_no_request_still_waiting_for_its_delay_and_the_next_run_fetches_them(tmp_path: Path) -> None:
    with ChangingSite(articles=20, fresh=0) as site:
        polite = site.sources_toml().replace("delay = 0", "delay = 1").replace("concurrency = 8", "concurrency = 1")
        (tmp_path / "sources.toml").write_text(polite)
        crawl = ("crawl", "--sources", "sources.toml", "--no-warc", "-s", "ARCHIVER_RENDER_COMMENTS=off")
        process = start_archiver(*crawl, cwd=tmp_path)
        try:
            # the home page, robots.txt and listings fetched: story pages wait in the slot, a second apart
            assert wait_for(lambda: sum(p.startswith("/news/") for p in site.fetched()) >= 2, 90)
            asked = len(site.fetched())
            process.send_signal(signal.SIGTERM)
            out, err = finish(process, 90)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        assert process.returncode == 143, out + err
        assert len(site.fetched()) <= asked + 1, site.fetched()[asked:]  # at most the one being sent
        assert "resumes on the next run" in out

        site.log.clear()
        second = run_archiver(*crawl, "-s", "DOWNLOAD_DELAY=0", cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert "resumed where the last run stopped: river" in second.stdout
    fetched = Counter(p for p in site.fetched(200) if p.startswith("/news/"))
    assert max(fetched.values()) == 1, fetched
    assert rows(tmp_path / "archive.db", "SELECT count(*) FROM articles")[0][0] == 20
    assert rows(tmp_path / "archive.db", "SELECT count(*) FROM fetches WHERE error LIKE '%NotSent%'")[0][0] == 0
