"""`archiver serve`: Datasette with the shipped metadata, over HTTP, and its refusals of bad input."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sqlite3
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archiver.archive import Archive
from archiver.archive.schema import SCHEMA_VERSION
from archiver.datasette import plugin
from archiver.datasette import server as serve
from tests.conftest import archiver_command, free_port, run_archiver, start_archiver, wait_for

README = Path(__file__).parent.parent / "README.md"


def article(n: int, title: str, published: str | None, comments: list[dict[str, Any]]) -> dict[str, Any]:
    url = f"https://news.example.org/{n}"
    body = f"{title}. The harbour ferry timetable changed again this spring, story {n}."
    return {"url": url, "canonical_url": url, "title": title, "published": published, "body": body,
            "comments_status": "present", "comments": comments}  # fmt: skip


def comment(number: int, author: str, body: str, parent: int | None = None) -> dict[str, Any]:
    return {"number": number, "author": author, "body": body, "parent": parent, "published": f"2024-06-0{number}"}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    db = tmp_path / "archive.db"
    store = Archive(db)
    store.save(
        [
            article(1, "Ferry timetable", "2024-05-02", [
                comment(1, "Ann", "First!"), comment(2, "Bob", "Which ferry?"),
                comment(3, "Ann", "The 7:15 one.", parent=2), comment(4, "Cy", "Thanks both.", parent=3),
                comment(5, "Dee", "Late to this."),
            ]),
            article(2, "Clover on the verges", "2024-06-10", [comment(1, "Eve", "Bees love it.")]),
            article(3, "Undated note", None, []),
        ]
    )  # fmt: skip
    store.close()
    return db


def fetch(datasette: Any, *paths: str) -> list[Any]:
    """JSON of each path, as Datasette's own test client gets it (status checked)."""

    async def run() -> list[Any]:
        out = []
        for path in paths:
            response = await datasette.client.get(path)
            assert response.status_code == 200, (path, response.text[:500])
            out.append(response.json())
        return out

    return asyncio.run(run())


def schema(db: Path) -> dict[str, list[str]]:
    """Every table of a fresh archive with its columns, FTS shadow tables left out."""
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        fts = [n for n in names if n.endswith("_fts")]
        tables = [n for n in names if not n.startswith("sqlite_") and not any(n.startswith(f + "_") for f in fts)]
        return {t: [r[1] for r in conn.execute(f"PRAGMA table_info([{t}])")] for t in tables}
    finally:
        conn.close()


def test_metadata_describes_every_table_and_column(tmp_path: Path) -> None:
    Archive(tmp_path / "fresh.db").close()
    tables = serve.metadata("fresh")["databases"]["fresh"]["tables"]
    for table, columns in schema(tmp_path / "fresh.db").items():
        assert tables[table]["description"], table
        assert set(tables[table]["columns"]) == set(columns), table
        assert all(tables[table]["columns"].values()), table
    assert tables["articles"]["fts_table"] == "articles_fts" and tables["comments"]["fts_table"] == "comments_fts"


def test_readme_documents_every_column(tmp_path: Path) -> None:
    Archive(tmp_path / "fresh.db").close()
    section = README.read_text(encoding="utf-8").split("## The archive's tables", 1)[1].split("\n## ", 1)[0]
    for table, columns in schema(tmp_path / "fresh.db").items():
        if table.endswith("_fts") or table == "_sqlite_migrations":
            continue
        table_part = section.split(f"### `{table}`", 1)[1].split("\n### ", 1)[0]
        for column in columns:
            assert re.search(rf"^\| `{column}` \|", table_part, re.M), f"{table}.{column} is not in the README"


def test_full_text_search_and_hidden_tables(archive: Path) -> None:
    datasette = serve.build(archive)
    articles, comments, tables = fetch(
        datasette,
        "/archive/articles.json?_search=clover&_shape=array",
        "/archive/comments.json?_search=7:15&_shape=array",  # punctuation is text: escaped search mode
        "/archive.json",
    )
    assert [a["title"] for a in articles] == ["Clover on the verges"]
    assert [(c["article_id"], c["number"], c["body"]) for c in comments] == [(1, 3, "The 7:15 one.")]
    hidden = {t["name"] for t in tables["tables"] if t["hidden"]}
    assert {"articles_fts", "articles_fts_data", "comments_fts_idx", "_sqlite_migrations"} <= hidden
    assert "articles" not in hidden and "comments" not in hidden


def test_comment_thread_by_id_or_url(archive: Path) -> None:
    datasette = serve.build(archive)
    by_id, by_url = fetch(
        datasette,
        "/archive/article_comments.json?article=1&_shape=array",
        "/archive/article_comments.json?article=https%3A%2F%2Fnews.example.org%2F1&_shape=array",
    )
    assert [(c["thread"], c["parent"], c["author"], c["body"]) for c in by_id] == [
        ("#1", None, "Ann", "First!"),
        ("#2", None, "Bob", "Which ferry?"),
        ("→#3", 2, "Ann", "The 7:15 one."),
        ("→→#4", 3, "Cy", "Thanks both."),
        ("#5", None, "Dee", "Late to this."),
    ]
    assert by_url == by_id


def test_other_canned_queries(archive: Path) -> None:
    datasette = serve.build(archive)
    latest, discussed, months, found, said = fetch(
        datasette,
        "/archive/latest_articles.json?_shape=array",
        "/archive/most_discussed.json?_shape=array",
        "/archive/articles_per_month.json?_shape=array",
        "/archive/search_articles.json?words=verges&_shape=array",
        "/archive/search_comments.json?words=bees&_shape=array",
    )
    assert [a["title"] for a in latest] == ["Clover on the verges", "Ferry timetable", "Undated note"]
    assert [(a["title"], a["comments"]) for a in discussed] == [("Ferry timetable", 5), ("Clover on the verges", 1)]
    assert [(m["month"], m["articles"], m["comments"]) for m in months] == [
        ("2024-05", 1, 5), ("2024-06", 1, 1), ("undated", 1, 0)
    ]  # fmt: skip
    assert found[0]["title"] == "Clover on the verges" and "<<verges>>" in found[0]["snippet"]
    assert (said[0]["author"], said[0]["article"]) == ("Eve", "Clover on the verges")


def get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def up(url: str) -> bool:
    try:
        get(url)
    except (urllib.error.URLError, ConnectionError):
        return False
    return True


def test_serves_while_a_crawl_writes(tmp_path: Path, archive: Path) -> None:
    port = free_port()
    server = start_archiver("serve", "--db", str(archive), "--port", str(port), cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: up(f"{base}/-/versions.json"), seconds=30), "archiver serve did not start"
        assert len(get(f"{base}/archive/articles.json?_shape=array")) == 3
        writer = Archive(archive)  # as a crawl would, while the archive is served
        writer.save([article(4, "Fresh from the crawl", "2024-07-01", [])])
        titles = [a["title"] for a in get(f"{base}/archive/latest_articles.json?_shape=array")]
        assert titles[0] == "Fresh from the crawl"
        writer.close()
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    assert server.returncode in (0, -signal.SIGTERM), err  # uvicorn shuts down, then re-raises the signal
    assert out.splitlines()[0] == f"serving {archive} read-only at {base}/ (Ctrl-C to stop)"


def test_refuses_bad_archives(tmp_path: Path, archive: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a database " * 100)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    newer = tmp_path / "newer.db"
    newer.write_bytes(archive.read_bytes())
    sqlite3.connect(newer).execute("UPDATE archive_info SET value = '99'").connection.commit()
    cases = {
        "missing.db": "no archive at missing.db",
        "notes.txt": "cannot read archive notes.txt: file is not a database",
        "other.db": "other.db is not an archiver archive (it has no articles table)",
        "newer.db": f"archive newer.db has schema version 99, newer than this archiver's ({SCHEMA_VERSION}): upgrade"
        " archiver to read it",
    }
    for name, message in cases.items():
        result = run_archiver("serve", "--db", name, "--port", str(free_port()), cwd=tmp_path, timeout=60)
        assert result.returncode == 2, (name, result.stderr)
        assert result.stderr.strip().splitlines()[-1] == f"Error: {message}", name
    assert sqlite3.connect(newer).execute("SELECT value FROM archive_info").fetchone() == ("99",)


def test_newer_schema_refused_by_read_and_write_commands(tmp_path: Path, archive: Path) -> None:
    newer = SCHEMA_VERSION + 1
    sqlite3.connect(archive).execute("UPDATE archive_info SET value = ?", [str(newer)]).connection.commit()
    for args in (["query", "SELECT 1"], ["stats"], ["export", "-o", "x.jsonl"], ["crawl", "http://127.0.0.1:9/"]):
        result = run_archiver(*args, "--db", str(archive), cwd=tmp_path, timeout=60)
        assert result.returncode == 2, (args, result.stderr)
        line = result.stderr.strip().splitlines()[-1]
        assert f"has schema version {newer}, newer than this archiver's ({SCHEMA_VERSION})" in line, args
    assert not (tmp_path / "x.jsonl").exists()


def test_port_in_use(tmp_path: Path, archive: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_archiver("serve", "--db", str(archive), "--port", str(port), cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"]


# --- Search input typed in the served archive, its bad requests, and its table pages -------------

LONG_BODY = "Long read about the river. " + " ".join(f"word{i}" for i in range(1500))
LONG_COMMENT = "A long comment about the river, " + " ".join(f"note{i}" for i in range(150))
SHOWN = serve.SETTINGS["truncate_cells_html"]


class Served:
    """`archiver serve` on a free port, its stdout and stderr in files (a pipe would fill up and block it)."""

    def __init__(self, folder: Path) -> None:
        self.stdout, self.stderr = folder / "serve.out", folder / "serve.err"
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        with self.stdout.open("w") as out, self.stderr.open("w") as err:
            self.process = subprocess.Popen(
                [*archiver_command(), "serve", "--db", "archive.db", "--port", str(port)],
                cwd=folder,
                stdout=out,
                stderr=err,
                text=True,
            )
        self.seen = (0, 0)

    def get(self, path: str) -> tuple[int, str]:
        """Status and body of a GET (error statuses included)."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=20) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def up(self) -> bool:
        try:
            return self.get("/-/versions.json")[0] == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    def rows(self, path: str) -> list[dict[str, Any]]:
        status, body = self.get(path + ("&" if "?" in path else "?") + "_shape=array")
        assert status == 200, (path, body[:300])
        return list(json.loads(body))

    def printed(self) -> tuple[str, str]:
        """What the server wrote to stdout and stderr since the last call."""
        out, err = self.stdout.read_text(encoding="utf-8"), self.stderr.read_text(encoding="utf-8")
        new = out[self.seen[0] :], err[self.seen[1] :]
        self.seen = (len(out), len(err))
        return new

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """An archive of three articles with punctuation and FTS operator words in them, served once for the module."""
    folder = tmp_path_factory.mktemp("served")
    store = Archive(folder / "archive.db")
    store.save(
        [
            dict(article(1, "Ferry timetable", "2024-05-02", []),
                 body="The harbour ferry timetable changed again this spring."),
            dict(article(2, "Rock and roll", "2024-06-10", [
                comment(1, "Ann", 'I said "encore" (twice) AND clapped*'),
                comment(2, "Bob", "C++ or C#? Neither, thanks."),
            ]), body='She said "rock and roll" (loudly) AND then left; 5* reviews, C++ and C#.'),
            dict(article(3, "Long read", "2024-07-01", [comment(1, "Cy", LONG_COMMENT)]), body=LONG_BODY),
        ]
    )  # fmt: skip
    store.close()
    server = Served(folder)
    try:
        assert wait_for(server.up, seconds=30), server.printed()
        server.printed()
        yield server
    finally:
        server.stop()


@pytest.fixture
def server(served: Served) -> Served:
    """The module's served archive, with what it printed before this test set aside."""
    served.printed()
    return served


# (typed, titles found): quotes, brackets, stars and FTS5 operators are text; all words must be there.
TABLE_SEARCHES = [
    ('"', []),
    ('""', []),
    (" ", []),
    ('rock"', ["Rock and roll"]),
    ('"rock and roll', ["Rock and roll"]),
    ('rock"\n"roll"', ["Rock and roll"]),
    ("(loudly)", ["Rock and roll"]),
    ("(", []),
    ("roll*", ["Rock and roll"]),
    ("*", []),
    ("rock AND", ["Rock and roll"]),
    ("ferry OR river", []),
    ("NOT", []),
    ("-ferry", ["Ferry timetable"]),
    ("^rock", ["Rock and roll"]),
    ("NEAR(rock roll)", []),
    ("C++", ["Rock and roll"]),
    ("title:ferry", []),
    ("rock\x00roll", ["Rock and roll"]),  # a NUL would end the query for SQLite
]


@pytest.mark.parametrize(("typed", "titles"), TABLE_SEARCHES)
def test_table_search_takes_words(server: Served, typed: str, titles: list[str]) -> None:
    query = urllib.parse.urlencode({"_search": typed})
    status, page = server.get(f"/archive/articles?{query}")
    assert status == 200, page[:500]
    assert [a["title"] for a in server.rows(f"/archive/articles.json?{query}")] == titles
    assert server.printed() == ("", "")


SEARCH_QUERIES = [
    ("search_articles", "title", '"', []),
    ("search_articles", "title", '"rock and roll', ["Rock and roll"]),
    ("search_articles", "title", "roll* (loudly) AND", ["Rock and roll"]),
    ("search_articles", "title", 'rock"\n"roll"', ["Rock and roll"]),
    ("search_articles", "title", "", []),
    ("search_comments", "author", '"', []),
    ("search_comments", "author", '"encore', ["Ann"]),
    ("search_comments", "author", "(twice) clapped* AND", ["Ann"]),
    ("search_comments", "author", "C++ or C#?", ["Bob"]),
    ("search_comments", "author", "NOT", []),
]


@pytest.mark.parametrize(("name", "column", "typed", "found"), SEARCH_QUERIES)
def test_canned_search_queries_take_words(server: Served, name: str, column: str, typed: str, found: list[str]) -> None:
    query = urllib.parse.urlencode({"words": typed})
    status, page = server.get(f"/archive/{name}?{query}")
    assert status == 200, page[:500]
    assert [r[column] for r in server.rows(f"/archive/{name}.json?{query}")] == found
    assert server.printed() == ("", "")


CANNED = serve.metadata()["databases"]["archive"]["queries"]


@pytest.mark.parametrize("name", sorted(CANNED))
@pytest.mark.parametrize("typed", ['"', '"(*', "AND", "NEAR(", ")"])
def test_every_canned_query_answers_any_input(server: Served, name: str, typed: str) -> None:
    names = sorted(set(re.findall(r"(?<!:):(\w+)", CANNED[name]["sql"])))
    query = urllib.parse.urlencode({n: typed for n in names})
    for path in (f"/archive/{name}?{query}", f"/archive/{name}.json?{query}"):
        status, page = server.get(path)
        assert status == 200, (path, page[:500])
    assert server.printed() == ("", "")


def test_raw_search_mode_is_fts5(server: Served) -> None:
    raw = [
        ("ferry OR river", ["Long read", "Ferry timetable"]),
        ("fer*", ["Ferry timetable"]),
        ('"rock and roll"', ["Rock and roll"]),
        ("rock NOT loudly", []),
    ]
    for typed, titles in raw:
        query = urllib.parse.urlencode({"_search": typed, "_searchmode": "raw"})
        assert [a["title"] for a in server.rows(f"/archive/articles.json?{query}")] == titles, typed


# Requests a person can get wrong, each answered with an error status.
BAD_REQUESTS = [
    "/archive/articles?_search=%22&_searchmode=raw",  # FTS5 syntax error, asked for
    "/archive/articles.json?_search=%28&_searchmode=raw",
    "/archive/comments?_search=rock%20AND&_searchmode=raw",
    "/archive/articles?_search_nope=x",  # no such column in the index
    "/archive/articles?_sort=nope",
    "/archive/nope",
    "/archive?sql=select+*+from+nope",
    "/archive.json?sql=select+*+from+nope",
]


@pytest.mark.parametrize("path", BAD_REQUESTS)
def test_one_line_per_bad_request(server: Served, path: str) -> None:
    status, _ = server.get(path)
    assert status >= 400
    out, err = server.printed()
    assert "Traceback" not in out + err
    assert out == ""
    assert len(err.splitlines()) <= 1, err[:2000]
    if err.startswith("archiver serve:"):
        assert err.startswith(f"archiver serve: {status} GET {path}: ")


def test_search_box_and_rows_come_before_column_descriptions(server: Served) -> None:
    status, page = server.get("/archive/articles")
    assert status == 200
    search, rows = page.index('name="_search"'), page.index('<table class="rows-and-columns"')
    described = page.index('<dl class="column-descriptions">')
    assert search < rows < described
    assert page.index("<dt>canonical_url</dt>") > rows  # all 21 of them after the rows
    assert page.count("<dt>") == len(serve.metadata()["databases"]["archive"]["tables"]["articles"]["columns"])


def test_long_cells_cut_in_tables_whole_on_the_row_page(server: Served) -> None:
    for path in ("/archive/articles", "/archive/articles?_search=river"):
        status, page = server.get(path)
        assert status == 200
        assert LONG_BODY[:SHOWN] + "…" in page
        assert LONG_BODY[: SHOWN + 1] not in page
    status, page = server.get("/archive/comments")
    assert LONG_COMMENT[:SHOWN] + "…" in page and LONG_COMMENT[: SHOWN + 1] not in page
    status, page = server.get("/archive/articles/3")
    assert status == 200 and LONG_BODY in page
    status, page = server.get("/archive/article_comments?article=3")  # a thread is read whole
    assert status == 200 and LONG_COMMENT in page


@given(st.one_of(st.text(), st.none(), st.integers(-(2**63), 2**63 - 1), st.floats(), st.binary()))
def test_escape_fts_always_parses(typed: object) -> None:
    """Whatever reaches escape_fts (a search box, a query parameter, SQL), the FTS5 query it makes parses."""
    conn = sqlite3.connect(":memory:")
    plugin.prepare_connection(conn)
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t VALUES ('the ferry and the \"bridge\" (AND) *')")
    conn.execute("SELECT rowid FROM t WHERE t MATCH escape_fts(?)", [typed]).fetchall()
    conn.close()
