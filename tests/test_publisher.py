"""The publisher of a crawled page reaches the archive, `archiver show` and the export, apart from its authors."""

from __future__ import annotations

import json
from pathlib import Path

from archiver.demo import SiteServer
from tests.conftest import crawl_local, rows, run_archiver

#: Synthetic: a page written for this test, not a real one.
PAGE = """<html><head><title>Tides of March | Harbour Gazette</title>
<meta property="og:site_name" content="Harbour Gazette">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Tides of March",
 "datePublished": "2024-03-05", "author": [{"@type": "Person", "name": "Ana Lobo"},
 {"@type": "Organization", "name": "Harbour Gazette Newsroom"}],
 "publisher": {"@type": "Organization", "name": "Harbour Gazette"}}</script>
</head><body><article><h1>Tides of March</h1><p class="byline">By Ana Lobo</p>
<p>The spring tides came in higher than anyone on the quay remembered, and the boats rode up to the
harbour wall before dawn. The harbour master walked the length of the pier twice that morning.</p>
<p>By noon the water had gone back down, leaving weed and driftwood along the slipway for the gulls.</p>
%s</article></body></html>
""" % ("<p>The fishermen mended their nets on the quay while the water drained from the harbour floor.</p>\n" * 12)


def test_publisher_reaches_archive_show_and_export(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "tides.html").write_text(PAGE, encoding="utf-8")
    with SiteServer(site) as server:
        result = crawl_local(f"{server.url}tides.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    db = tmp_path / "archive.db"
    [row] = rows(db, "SELECT authors, publisher, provenance FROM articles")
    assert (json.loads(row["authors"]), row["publisher"]) == (["Ana Lobo"], "Harbour Gazette")
    assert json.loads(row["provenance"])["publisher"] == "jsonld"

    shown = run_archiver("show", "1", "--db", str(db), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "publisher: Harbour Gazette  [jsonld]" in shown.stdout.splitlines()

    exported = run_archiver("export", "--db", str(db), "-o", "-", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    [record] = [json.loads(line) for line in exported.stdout.splitlines()]
    assert (record["authors"], record["publisher"]) == (["Ana Lobo"], "Harbour Gazette")
