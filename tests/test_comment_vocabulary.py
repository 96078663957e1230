"""Each entry of the comment vocabulary, and each word in it, is needed by a saved fixture page.

Comments are extracted from every page under tests/fixtures/ and every page of the demo site,
with each entry of ``archiver.extract.comments.vocabulary`` wrapped in a counter where the
comment modules use it: a pattern remembers the texts it matched, a set the members it was asked
for and held, a list read in order the member where the reading stopped (the one found).
A word counts as needed by a page when the pattern with that word alone matches a text the page
gave it and the pattern without any of its list's words does not.

``NO_FIXTURE_YET`` lists the words no fixture page needs: each is a gap to fill with a saved page
that needs it (not with a page written to contain the word), or a word to drop.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import archiver.extract.comments
from archiver.demo import SITE_DIR
from archiver.extract import Profile, extract_article, load_profiles
from archiver.extract.comments import vocabulary

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
PROFILE_PAGE_URL = "https://news.example.org/lokales/radwege"  # the host of fixtures/profiles/example-news.toml

#: The lists a pattern is built from: ``<PATTERN>_WORDS`` (and ``_PREFIXES``, ``_SUFFIXES``, ``_ENDINGS``).
WORD_LIST = re.compile(r"_(?:WORDS|PREFIXES|SUFFIXES|ENDINGS)$")
ENTRIES = sorted(n for n in vars(vocabulary) if n.isupper() and not WORD_LIST.search(n))
WORD_LISTS = sorted(n for n in vars(vocabulary) if n.isupper() and WORD_LIST.search(n))
#: Entries of words read one by one (tuples): every member should be needed. Frozensets name HTML
#: tags by what HTML says they are, and are checked as a whole.
MEMBER_ENTRIES = sorted(n for n in ENTRIES if isinstance(getattr(vocabulary, n), tuple))

#: Entries no fixture page needs at all yet.
NO_FIXTURE_YET_ENTRIES = {
    "AFTER_NAME",
    "COUNT_ATTRIBUTES",
    "DAY_FIRST_LANGUAGES",  # asked only for an ambiguous slash date ("09/06/2020"): no saved page has one
    "LOAD_COMMENTS",
    "FORM_ANCHORS",
    "HIDDEN_CLASS",
    "MONTH_OR_DAY",
    "NAME_NOISE_CLASS",
    "NOISE_LINE",
    "NUMBER_PROPS",
    "PING_ELLIPSES",
    "SAYS_END",
}
#: Words of a word list, and members of an entry, that no fixture page needs yet (in the vocabulary's order).
NO_FIXTURE_YET: dict[str, tuple[str, ...]] = {
    "AFTER_NAME_WORDS": vocabulary.AFTER_NAME_WORDS,
    "AUTHOR_CLASS_WORDS": (
        "comment-author-name", "nick(?:name)?", "commenter", "poster", "benutzer", "autor", "verfasser",
        "pseudo", "usuario", "autore",
    ),
    "AUTHOR_PROPS": ("creator",),
    "BODY_CLASS_WORDS": ("commenttext", "cmtbody", "story", "description"),
    "BY_PREFIX_WORDS": tuple(w for w in vocabulary.BY_PREFIX_WORDS if w != "by"),
    "CLOSED": (
        "comments closed", "kommentare sind geschlossen", "kommentarfunktion ist deaktiviert",
        "kommentarfunktion deaktiviert", "kommentarfunktion geschlossen", "les commentaires sont fermés",
    ),
    "COMMENT_ID_WORDS": ("kommentar", "komentarz", "commentaire", "comentario"),
    "COMMENT_TYPE_WORDS": ("Answer",),
    "COUNT_ATTRIBUTES": vocabulary.COUNT_ATTRIBUTES,
    "COUNT_TEXT_WORDS": tuple(w for w in vocabulary.COUNT_TEXT_WORDS if w not in ("comments?", "kommentare?")),
    "CONTAINER_WORDS": (
        "commentaire", "komentarz", "comentario", "commenti", "reactions?$", "leserbrief", "^replies$", "^talkback",
        "reviews",
    ),
    "DATE_CLASS_WORDS": ("published", "datum", "fecha"),
    "DATE_ATTRIBUTES": tuple(a for a in vocabulary.DATE_ATTRIBUTES if a != "title"),
    "DATE_PROPS": ("dateCreated", "commentTime"),
    "HIDDEN_CLASS_WORDS": vocabulary.HIDDEN_CLASS_WORDS,
    "EXTERNAL": ("commento", "giscus", "utterances", "coral", "viafoura", "hyvor", "isso"),
    "FORM_ANCHORS": vocabulary.FORM_ANCHORS,
    "ITEM_CLASS_PREFIXES": ("c-", "single-", "reader-", "js-", "wc-", "wpd-"),
    "ITEM_CLASS_SUFFIXES": ("item", "entry", "wrap", "wrapper", "box", "container", "row", "single"),
    "ITEM_CLASS_WORDS": (
        "comments-item", "comentario", "commento", "komentarz", "commentaire", "pingback", "trackback", "reply",
        "response", "post", "review",
    ),
    "ITEM_ID_WORDS": ("cmt", "k", "kommentar", "reply", "msg", "message", "bb_message"),
    "LOAD_COMMENTS": vocabulary.LOAD_COMMENTS,
    "MAYBE_CONTAINER_WORDS": ("eaction", "eserbrief", "alkback", "ommenti"),
    "MONTH_OR_DAY_WORDS": vocabulary.MONTH_OR_DAY_WORDS,
    "NO_COMMENTS": ("keine kommentare", "aucun commentaire", "sin comentarios", "nessun commento"),
    "NOISE_CLASS_WORDS": ("report", "edit-link", "screen-reader", "joined"),
    "NOISE_LINE_WORDS": vocabulary.NOISE_LINE_WORDS,
    "NOT_CONTAINER_ENDINGS": (
        "link", "count", "number", "num", "icon", "title", "closed", "rss", "feed", "nav", "pagination", "policy",
        "rules", "button", "btn", "date", "avatar",
    ),
    "NOT_CONTAINER_WORDS": (
        "commentform", "no-?comments", "add-?comment", "write-?comment", "post-?comment", "leave", "share", "social",
        "related", "newsletter", "open$", "commentary", "commentaries", "popular", "commented",
    ),
    "NAME_NOISE_CLASS_WORDS": vocabulary.NAME_NOISE_CLASS_WORDS,
    "NUMBER_PROPS": vocabulary.NUMBER_PROPS,
    "PING_ELLIPSES": vocabulary.PING_ELLIPSES,
    "DAY_FIRST_LANGUAGES": ("en-gb", "fr", "es", "en-ie", "en-au", "en-nz", "en-in", "en-za", "it", "pt", "el", "ca"),
    "POST_ID_WORDS": ("js-post", "msg"),
    "NUMBER_WORDS": vocabulary.NUMBER_WORDS,
    "ROLE_BADGE_WORDS": tuple(w for w in vocabulary.ROLE_BADGE_WORDS if w != "gast"),
    "SAYS_END_WORDS": vocabulary.SAYS_END_WORDS,
    "SAYS_WORDS": (
        "wrote", "schreibt", "schrieb", "sagt", "meint", "écrit", "dit", "dice", "escribió", r"napisał\(a\)", "napisał",
    ),
    "STATE_TOKEN_WORDS": (
        "parent", r"depth-\w+", r"has-\w+", r"is-\w+", "highlighted", "new", "unread", "author", "hentry",
    ),
    "TEXT_PROPS": ("commentText", "reviewBody"),
    "TITLE_CLASS_WORDS": tuple(w for w in vocabulary.TITLE_CLASS_WORDS if w != "title"),
    "TOOLTIP_ATTRIBUTES": tuple(a for a in vocabulary.TOOLTIP_ATTRIBUTES if a != "data-tippy-content"),
    "TITLE_PROPS": ("headline", "schema:name", "schema:headline"),
}  # fmt: skip


Hits = dict[str, set[Any]]


class CountedPattern:
    """A compiled pattern that remembers each text it matched and how it was asked."""

    def __init__(self, pattern: re.Pattern[str], hits: set[Any]) -> None:
        self.pattern, self.hits = pattern, hits

    def search(self, string: str) -> re.Match[str] | None:
        return self._seen("search", string, self.pattern.search(string))

    def match(self, string: str) -> re.Match[str] | None:
        return self._seen("match", string, self.pattern.match(string))

    def fullmatch(self, string: str) -> re.Match[str] | None:
        return self._seen("fullmatch", string, self.pattern.fullmatch(string))

    def sub(self, repl: str, string: str) -> str:
        result, count = self.pattern.subn(repl, string)
        if count:
            self.hits.add(("search", string))
        return result

    def _seen(self, how: str, string: str, found: re.Match[str] | None) -> re.Match[str] | None:
        if found is not None:
            self.hits.add((how, string))
        return found


class CountedSet(frozenset[Any]):
    """A set that remembers the members it was asked for and held."""

    hits: set[Any]

    def __contains__(self, member: object) -> bool:
        found = super().__contains__(member)
        if found:
            self.hits.add(member)
        return found


class CountedTuple(tuple[Any, ...]):
    """A list that remembers the members asked for and held, and the member a reading stopped at."""

    hits: set[Any]

    def __contains__(self, member: object) -> bool:
        found = super().__contains__(member)
        if found:
            self.hits.add(member)
        return found

    def __iter__(self) -> Iterator[Any]:
        return self._read()

    def _read(self) -> Iterator[Any]:
        last, finished = None, False
        try:
            for member in super().__iter__():
                last = member
                yield member
            finished = True
        finally:  # a reading that stops early stops at what it found
            if not finished and last is not None:
                self.hits.add(last[0] if isinstance(last, tuple) else last)  # EXTERNAL: the service's name


def counted(value: object, hits: set[Any]) -> object:
    if isinstance(value, re.Pattern):
        return CountedPattern(value, hits)
    if isinstance(value, frozenset):
        wrapped_set = CountedSet(value)
        wrapped_set.hits = hits
        return wrapped_set
    if isinstance(value, tuple):
        wrapped = CountedTuple(value)
        wrapped.hits = hits
        return wrapped
    raise TypeError(f"no counter for a vocabulary entry of type {type(value).__name__}")


def comment_modules() -> list[ModuleType]:
    package = archiver.extract.comments
    names = [info.name for info in pkgutil.iter_modules(package.__path__)]
    return [package, *(importlib.import_module(f"{package.__name__}.{name}") for name in names)]


def clear_caches(modules: list[ModuleType]) -> None:
    """The comment modules remember answers per class attribute: asked again, they ask the patterns."""
    for module in modules:
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def fixture_pages() -> Iterator[tuple[bytes, str, tuple[Profile, ...] | None]]:
    """(html, url, profiles) of every saved page of the tests and the demo site."""
    for path in sorted(FIXTURES.rglob("*.html")):
        golden = path.with_suffix(".json")
        url = json.loads(golden.read_text(encoding="utf-8"))["url"] if golden.exists() else None
        if path.parent.name == "profile-pages":
            yield path.read_bytes(), PROFILE_PAGE_URL, load_profiles(str(FIXTURES / "profiles"))
        else:
            yield path.read_bytes(), url or f"http://127.0.0.1:8642/{path.relative_to(FIXTURES)}", None
    for path in sorted(SITE_DIR.rglob("*.html")):
        yield path.read_bytes(), f"http://127.0.0.1:8642/{path.relative_to(SITE_DIR)}", None


@pytest.fixture(scope="module")
def hits() -> Hits:
    """What each vocabulary entry matched over all fixture pages."""
    found: Hits = {name: set() for name in ENTRIES}
    modules = comment_modules()
    used: set[str] = set()
    with pytest.MonkeyPatch.context() as patch:
        for name in ENTRIES:
            entry, wrapped = getattr(vocabulary, name), None
            for module in modules:
                if module is vocabulary:
                    continue
                for attribute, value in list(vars(module).items()):
                    if value is entry:
                        wrapped = counted(entry, found[name]) if wrapped is None else wrapped
                        patch.setattr(module, attribute, wrapped)
                        used.add(name)
        clear_caches(modules)
        try:
            for html, url, profiles in fixture_pages():
                extract_article(html, url, fetched_at=FETCHED, profiles=profiles)
        finally:
            clear_caches(modules)
    assert sorted(set(ENTRIES) - used) == [], "vocabulary entries that no comment module uses"
    return found


def list_owner(list_name: str) -> str:
    """The pattern a word list is built into: CONTAINER_WORDS -> CONTAINER."""
    return WORD_LIST.sub("", list_name)


def needed_words(list_name: str, hits: Hits) -> set[str]:
    """The words of a list that some fixture text needs: matched by the word alone, not by no word."""
    owner = list_owner(list_name)
    pattern, words = getattr(vocabulary, owner), getattr(vocabulary, list_name)
    either = "|".join(words)
    assert pattern.pattern.count(either) == 1, f"{owner} is not built from {list_name} joined by '|'"
    without = re.compile(pattern.pattern.replace(either, "(?!)"), pattern.flags)
    texts = [(how, text) for how, text in hits[owner] if not getattr(without, how)(text)]
    needed = set()
    for word in words:
        alone = re.compile(pattern.pattern.replace(either, word), pattern.flags)
        if any(getattr(alone, how)(text) for how, text in texts):
            needed.add(word)
    return needed


def test_fixture_pages_are_found() -> None:
    assert len(list(fixture_pages())) >= 60


def expect_needed(name: str) -> Any:
    """A parameter that fails strictly while no fixture page needs the entry: the list says so."""
    if name in NO_FIXTURE_YET_ENTRIES:
        return pytest.param(name, marks=pytest.mark.xfail(reason="no fixture page needs it yet", strict=True))
    return name


@pytest.mark.parametrize("name", [expect_needed(n) for n in ENTRIES])
def test_entry_is_needed_by_a_fixture_page(name: str, hits: Hits) -> None:
    assert hits[name], f"no fixture page needs vocabulary.{name}"


def unneeded_as_listed(name: str, unneeded: list[str]) -> None:
    listed = list(NO_FIXTURE_YET.get(name, ()))
    assert [w for w in unneeded if w not in listed] == [], f"{name}: no fixture page needs these (add a saved page)"
    assert [w for w in listed if w not in unneeded] == [], f"{name}: now needed by a fixture page, unlist them"


@pytest.mark.parametrize("name", WORD_LISTS)
def test_each_word_is_needed_by_a_fixture_page(name: str, hits: Hits) -> None:
    assert list_owner(name) in ENTRIES
    needed = needed_words(name, hits)
    unneeded_as_listed(name, [w for w in getattr(vocabulary, name) if w not in needed])


@pytest.mark.parametrize("name", MEMBER_ENTRIES)
def test_each_member_is_needed_by_a_fixture_page(name: str, hits: Hits) -> None:
    members = [m[0] if isinstance(m, tuple) else m for m in getattr(vocabulary, name)]  # EXTERNAL: by name
    unneeded_as_listed(name, [m for m in members if m not in hits[name]])


def test_unknown_names_are_not_listed() -> None:
    assert sorted(set(NO_FIXTURE_YET) - set(WORD_LISTS) - set(MEMBER_ENTRIES)) == []
    assert sorted(NO_FIXTURE_YET_ENTRIES - set(ENTRIES)) == []
