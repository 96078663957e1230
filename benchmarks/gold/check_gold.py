"""Check the comment gold labels in ``benchmarks/gold/comments/`` against their format.

``python -m benchmarks.gold.check_gold [label files...]`` prints one line per problem and exits
non-zero when there is any. The format is described in ``benchmarks/gold/comments/README.md``:
keys and their order, types, positions 1..n, parents before their replies, kind and layout
values, snippets of at most 60 characters, ISO dates; and, when the page is present under
``../shared/bench/``, that the URL is the page's and that every ``text_start``/``text_end``
occurs in the page's text (compared with all white space removed, since tags join texts
without spaces).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import sys
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import lxml.html
from w3lib.encoding import html_to_unicode

GOLD = Path(__file__).resolve().parent / "comments"
_ROOT = Path(__file__).resolve().parent.parent.parent
#: The real pages: ../shared/bench beside the repository (or beside the folder of worktrees holding it).
BENCH = next((p for p in (_ROOT.parent / "shared" / "bench", _ROOT.parent.parent / "shared" / "bench") if p.is_dir()),
             _ROOT.parent / "shared" / "bench")  # fmt: skip

KEYS = ["set", "file", "url", "layout", "thread", "status", "comments", "notes", "labelled_by", "checked_by",
        "corrections"]  # fmt: skip
COMMENT_KEYS = ["position", "number", "author", "author_url", "date_shown", "date", "title", "text_start",
                "text_end", "parent", "kind"]  # fmt: skip
SETS = {"realpages": "realpages", "wcxb": "wcxb-dev"}  # file name prefix -> set
LAYOUTS = {"wordpress", "blogger", "drupal", "disqus-saved", "phpbb", "vbulletin", "discourse", "xenforo",
           "bbpress", "wpdiscuz", "news-own", "table", "definition-list", "qa", "reddit-like", "other"}  # fmt: skip
STATUS = re.compile(r"present|script|closed|none|external:[a-z0-9][a-z0-9._-]*")
KINDS = {"comment", "pingback", "trackback", "deleted"}
SNIPPET = 60


def label_files(folder: Path = GOLD) -> list[Path]:
    """The label files of the gold set, sorted."""
    return sorted(folder.glob("*.json"))


def squeeze(text: str) -> str:
    """Text with every white space removed (NFC), the form snippets and pages are compared in."""
    return "".join(unicodedata.normalize("NFC", text).split())


def decode(body: bytes) -> str:
    """Page bytes as text, as a browser would decode them (BOM, meta charset, detection)."""
    return html_to_unicode(None, body)[1]


def read_page(path: Path) -> str:
    """A saved page's text (gunzipped when its name ends in .gz)."""
    body = path.read_bytes()
    return decode(gzip.decompress(body) if path.suffix == ".gz" else body)


@lru_cache(maxsize=4)
def page_text(path: Path) -> str:
    """The squeezed text of a saved page (scripts and styles left out)."""
    root = lxml.html.document_fromstring(read_page(path))
    for node in root.xpath("//script|//style|//noscript"):
        node.text = None  # keep the tail: it is text of the page
    return squeeze(" ".join(root.itertext()))


@lru_cache(maxsize=2)
def ground_truth(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return data


def page_url(set_name: str, file: str, folder: Path) -> str | None:
    """The page's URL as its set's ground-truth.json gives it (None if the page is not there)."""
    truth = ground_truth(folder)
    name = file.removeprefix("html/")
    if set_name == "realpages":
        return next((url for url, record in truth.items() if record.get("file") == name), None)
    record = truth.get(name.split(".")[0])
    return record.get("url") if record else None


def _iso(value: str) -> bool:
    try:
        (date.fromisoformat if len(value) == 10 else datetime.fromisoformat)(value)
    except ValueError:
        return False
    return True


def check_comment(c: Any, index: int) -> list[str]:
    """Problems of one comment record (index = its 0-based place in the list)."""
    where = f"comment {index + 1}"
    if not isinstance(c, dict):
        return [f"{where}: not an object"]
    if list(c) != COMMENT_KEYS:
        return [f"{where}: keys {list(c)} are not {COMMENT_KEYS}"]
    problems = []
    if c["position"] != index + 1 or type(c["position"]) is not int:
        problems.append(f"{where}: position {c['position']!r}, expected {index + 1}")
    for key in ("number", "author", "author_url", "date_shown", "date", "title"):
        if c[key] is not None and (not isinstance(c[key], str) or not c[key].strip()):
            problems.append(f"{where}: {key} must be a non-empty string or null, not {c[key]!r}")
    if isinstance(c["author_url"], str) and not re.match(r"https?://", c["author_url"]):
        problems.append(f"{where}: author_url {c['author_url']!r} is not absolute")
    if isinstance(c["date"], str) and not _iso(c["date"]):
        problems.append(f"{where}: date {c['date']!r} is not ISO 8601")
    for key in ("text_start", "text_end"):
        value = c[key]
        if not isinstance(value, str) or len(value) > SNIPPET:
            problems.append(f"{where}: {key} must be a string of at most {SNIPPET} characters")
        elif value.strip() != " ".join(value.split()):
            problems.append(f"{where}: {key} has unfolded white space")
        elif not value.strip() and c["kind"] != "deleted":
            problems.append(f"{where}: {key} is empty")
    start, end = c["text_start"], c["text_end"]
    if isinstance(start, str) and isinstance(end, str) and min(len(start), len(end)) < SNIPPET - 1 and start != end:
        problems.append(f"{where}: a text under {SNIPPET} characters needs text_start == text_end (the whole text)")
    parent = c["parent"]
    if parent is not None and (type(parent) is not int or not 1 <= parent < index + 1):
        problems.append(f"{where}: parent {parent!r} must be null or an earlier position")
    if c["kind"] not in KINDS:
        problems.append(f"{where}: kind {c['kind']!r} not in {sorted(KINDS)}")
    return problems


def check_label(path: Path, bench: Path = BENCH) -> list[str]:
    """Problems of one label file; the page checks run only when the page is present."""
    try:
        label = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"not readable JSON: {error}"]
    if not isinstance(label, dict) or list(label) != KEYS:
        return [f"keys {list(label) if isinstance(label, dict) else label!r} are not {KEYS}"]
    problems = []
    prefix, _, page_id = path.stem.partition("-")
    set_name = SETS.get(prefix)
    if set_name is None or label["set"] != set_name:
        problems.append(f"set {label['set']!r} does not match the file name prefix {prefix!r}")
    expected_file = f"html/{page_id}.html" + (".gz" if prefix == "wcxb" else "")
    if label["file"] != expected_file:
        problems.append(f"file {label['file']!r}, expected {expected_file!r}")
    if label["layout"] not in LAYOUTS:
        problems.append(f"layout {label['layout']!r} not in {sorted(LAYOUTS)}")
    if label["layout"] == "other" and not (isinstance(label["notes"], str) and label["notes"].strip()):
        problems.append('layout "other" needs notes saying what it is')
    if not isinstance(label["thread"], bool):
        problems.append("thread must be true or false")
    status, comments = label["status"], label["comments"]
    if not isinstance(status, str) or not STATUS.fullmatch(status):
        problems.append(f"status {status!r} is not present/script/closed/none/external:<provider>")
    if not isinstance(comments, list):
        return [*problems, "comments must be a list"]
    if status == "present" and not comments:
        problems.append('status "present" with no comments')
    if status != "present" and comments:
        problems.append(f"status {status!r} must have comments []")
    for index, comment in enumerate(comments):
        problems.extend(check_comment(comment, index))
    for key in ("notes", "labelled_by"):
        if not isinstance(label[key], str) or (key == "labelled_by" and not label[key].strip()):
            problems.append(f"{key} must be a string")
    if label["checked_by"] is not None and not isinstance(label["checked_by"], str):
        problems.append("checked_by must be null or a string")
    if not isinstance(label["corrections"], list):
        problems.append("corrections must be a list")
    folder = bench / (set_name or "")
    page = folder / str(label["file"])
    if set_name and page.is_file() and (folder / "ground-truth.json").is_file():
        url = page_url(set_name, label["file"], folder)
        if label["url"] != url:
            problems.append(f"url {label['url']!r} is not the page's ({url!r})")
        text = page_text(page)
        for comment in comments:
            for key in ("text_start", "text_end"):
                value = comment.get(key) if isinstance(comment, dict) else None
                if isinstance(value, str) and squeeze(value) not in text:
                    problems.append(f"comment {comment.get('position')}: {key} {value!r} is not in the page's text")
    return problems


def pages_present(bench: Path = BENCH) -> bool:
    """Whether the real pages the labels refer to are there to check against."""
    return all((bench / name / "ground-truth.json").is_file() for name in set(SETS.values()))


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or label_files()
    if not pages_present():
        print(f"note: {BENCH} is incomplete; page checks are skipped where a page is absent", file=sys.stderr)
    bad = 0
    total = 0
    for path in paths:
        label_problems = check_label(path)
        bad += bool(label_problems)
        for problem in label_problems:
            print(f"{path.name}: {problem}")
        with contextlib.suppress(OSError, ValueError, AttributeError):
            total += len(json.loads(path.read_text(encoding="utf-8")).get("comments") or [])
    print(f"{len(paths)} label files, {total} comments, {bad} with problems", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
