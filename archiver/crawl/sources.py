"""The sources file: what a scheduled run crawls, site by site (TOML).

A sources file has optional ``[defaults]`` and one ``[[site]]`` table per site::

    [defaults]
    delay = 1.0              # seconds between requests to one site
    concurrency = 2          # requests in flight per site
    depth = 2                # links followed from start pages (0: the start pages only)

    [defaults.recrawl]
    fresh_days = 14          # articles younger than this are fetched on every run (new comments)
    interval_days = 7        # older ones at most this often (0: never again)

    [[site]]
    name = "example"
    start_urls = ["https://example.com/"]
    sitemaps = ["https://example.com/sitemap.xml"]
    robots_sitemaps = true   # also read the Sitemap: lines of robots.txt
    feeds = ["https://example.com/feed/"]
    allowed_domains = ["example.com"]
    include = ['/\\d{4}/\\d{2}/']   # followed links must match one of these (regular expressions)
    exclude = ['/tag/', '/author/']
    profile = "example-news"

:func:`load_sources` returns every problem at once, each with its line, so ``archiver check``
can list them all.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archiver.archive.recrawl import RecrawlPolicy
from archiver.urls import is_http_url

_SITE_KEYS = {
    "name", "start_urls", "sitemaps", "robots_sitemaps", "feeds", "allowed_domains", "include", "exclude",
    "depth", "delay", "concurrency", "profile", "recrawl",
}  # fmt: skip
_DEFAULT_KEYS = {"depth", "delay", "concurrency", "recrawl"}
#: The numbers of a site (and of [defaults]): their type, lowest and highest value, and default.
_Limits = dict[str, tuple[type, float, float, float]]
_LIMITS: _Limits = {
    "depth": (int, 0, 100, 2),
    "delay": (float, 0, 3600, 1.0),
    "concurrency": (int, 1, 64, 2),
}
_RECRAWL_LIMITS: _Limits = {
    "fresh_days": (float, 0, 3650, 14.0),
    "interval_days": (float, 0, 3650, 7.0),
}
_RECRAWL_KEYS = set(_RECRAWL_LIMITS)
_HEADER = re.compile(r"\s*\[\[?([^\[\]]+)\]\]?\s*(#.*)?$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


@dataclass(frozen=True)
class Source:
    """One site of a sources file."""

    name: str
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    robots_sitemaps: bool = False
    feeds: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    depth: int = 2
    delay: float = 1.0
    concurrency: int = 2
    profile: str = ""
    recrawl: RecrawlPolicy = field(default_factory=RecrawlPolicy)

    @property
    def entry_urls(self) -> tuple[str, ...]:
        """Every URL a run starts from: pages, sitemaps, feeds."""
        return (*self.start_urls, *self.sitemaps, *self.feeds)

    def domains(self) -> tuple[str, ...]:
        """The allowed domains, or the hosts of the entry URLs when none are given."""
        if self.allowed_domains:
            return self.allowed_domains
        hosts = {(urlsplit(u).hostname or "").removeprefix("www.") for u in self.entry_urls}
        return tuple(sorted(h for h in hosts if h))


class SourcesError(ValueError):
    """A sources file that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))


class _Lines:
    """Finds the line of a key in the file's text, within a site's tables or [defaults], for messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.owner: list[int | str | None] = []
        owner: int | str | None = None
        sites = 0
        for line in self.lines:
            header = _HEADER.match(line)
            if header:
                name = re.sub(r"\s", "", header.group(1))
                if line.lstrip().startswith("[[") and name == "site":
                    owner, sites = sites, sites + 1
                elif name == "defaults" or name.startswith("defaults."):
                    owner = "defaults"
                elif not (name.startswith("site.") and isinstance(owner, int)):
                    owner = None
            self.owner.append(owner)

    def of(self, section: int | str | None, key: str = "", value: str = "") -> int:
        """The line (from 1) of ``value``, else of ``key = ``, in a site (by index) or "defaults"."""
        indexes = [i for i, o in enumerate(self.owner) if section is None or o == section]
        indexes = indexes or list(range(len(self.lines)))
        assignment = re.compile(rf"(^|[\s{{,.]){re.escape(key)}\s*=")
        for i in indexes:
            line = self.lines[i]
            if value and value in line:
                return i + 1
            if not value and key and assignment.search(line):
                return i + 1
        if value and key:
            return self.of(section, key)
        return indexes[0] + 1 if indexes else 1


def load_sources(path: Path, profiles: Collection[str] | None = None) -> list[Source]:
    """The sources of a file; raises SourcesError listing every problem once, with its line.

    With ``profiles`` (the names of the site profiles at hand), a site naming another is a problem too.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(path, [f"{path}: cannot read: {exc}"]) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(path, [f"{path}: not valid TOML: {exc}"]) from exc
    lines = _Lines(text)
    problems: list[str] = []

    def problem(section: int | str | None, message: str, key: str = "", value: str = "") -> None:
        problems.append(f"{path}:{lines.of(section, key, value)}: {message}")

    for key in sorted(set(data) - {"defaults", "site"}):
        problem(None, f"unknown table or key {key!r} (expected [defaults] and [[site]] tables)", key)
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        problem(None, "defaults must be a table", "defaults")
        defaults = {}
    defaults = _checked_defaults(defaults, lambda m, k="", v="": problem("defaults", m, k, v))
    sites = data.get("site", [])
    if not isinstance(sites, list) or not sites:
        problem(None, "no [[site]] table: list at least one site")
        raise SourcesError(path, problems)
    sources: list[Source] = []
    names: set[str] = set()
    for index, site in enumerate(sites):
        if not isinstance(site, dict):
            problem(index, f"site #{index + 1} must be a table")
            continue
        merged = {**defaults, **site}
        if isinstance(defaults.get("recrawl"), dict) and isinstance(site.get("recrawl", {}), dict):
            merged["recrawl"] = {**defaults["recrawl"], **site.get("recrawl", {})}
        source = _source(index, merged, lambda m, k="", v="", i=index: problem(i, m, k, v), profiles)
        if source is None:
            continue
        if source.name in names:
            problem(index, f"site {source.name!r}: the name is used twice", "name")
        names.add(source.name)
        sources.append(source)
    if problems:
        problems.sort(key=lambda p: int(p.removeprefix(f"{path}:").split(":", 1)[0]))
        raise SourcesError(path, problems)
    return sources


def _checked_defaults(defaults: dict[str, Any], problem: Any) -> dict[str, Any]:
    """[defaults] without its bad values, each reported here once (at its line), so no site repeats it."""
    for key in sorted(set(defaults) - _DEFAULT_KEYS):
        problem(f"[defaults]: unknown key {key!r}", key)
    kept = _valid_only(defaults, "[defaults]", problem, _LIMITS)
    if "recrawl" not in defaults:
        return kept
    recrawl = defaults["recrawl"]
    if not isinstance(recrawl, dict):
        problem("[defaults]: recrawl must be a table (fresh_days, interval_days)", "recrawl")
        return kept
    for key in sorted(set(recrawl) - _RECRAWL_KEYS):
        problem(f"[defaults]: recrawl: unknown key {key!r}", key)
    kept["recrawl"] = _valid_only(recrawl, "[defaults]: recrawl", problem, _RECRAWL_LIMITS)
    return kept


def _valid_only(table: dict[str, Any], label: str, problem: Any, limits: _Limits) -> dict[str, Any]:
    return {key: table[key] for key in limits if key in table and _valid(table, key, label, problem, limits)}


def _source(index: int, site: dict[str, Any], problem: Any, profiles: Collection[str] | None) -> Source | None:
    name = site.get("name")
    label = f"site {name!r}" if isinstance(name, str) else f"site #{index + 1}"
    named = isinstance(name, str) and bool(_NAME.match(name))
    if name is None:
        problem(f"{label}: name is missing (it names the run's state folder)", "name")
    elif not named:
        problem(f"{label}: name must be letters, digits, '.', '_' or '-' (it names the run's state folder)", "name")
    for key in sorted(set(site) - _SITE_KEYS):
        problem(f"{label}: unknown key {key!r}", key)
    urls = {key: _strings(site, key, label, problem) for key in ("start_urls", "sitemaps", "feeds")}
    for key, values in urls.items():
        for value in values:
            if not is_http_url(value):
                problem(f"{label}: {key}: {value!r} is not an absolute http(s) URL", key, value)
    if not any(urls.values()) and not site.get("robots_sitemaps"):
        problem(f"{label}: give start_urls, sitemaps or feeds", "name")
    patterns = {key: _strings(site, key, label, problem) for key in ("include", "exclude")}
    for key, values in patterns.items():
        for value in values:
            try:
                re.compile(value)
            except re.error as exc:
                problem(f"{label}: {key}: {value!r} is not a regular expression: {exc}", key, value)
    domains = _strings(site, "allowed_domains", label, problem)
    for domain in domains:
        if not _HOST.match(domain.lower()):
            problem(f"{label}: allowed_domains: {domain!r} is not a host name", "allowed_domains", domain)
    robots = site.get("robots_sitemaps", False)
    if not isinstance(robots, bool):
        problem(f"{label}: robots_sitemaps must be true or false", "robots_sitemaps")
    if robots and not urls["start_urls"] and not urls["feeds"] and not urls["sitemaps"]:
        problem(f"{label}: robots_sitemaps needs a start URL to find robots.txt", "robots_sitemaps")
    depth, delay, concurrency = (_number(site, key, label, problem, _LIMITS) for key in _LIMITS)
    profile = site.get("profile", "")
    if not isinstance(profile, str):
        problem(f"{label}: profile must be a profile's name", "profile")
        profile = ""
    elif profile and profiles is not None and profile not in profiles:
        problem(f"{label}: no site profile named {profile!r}", "profile", profile)
    recrawl = _recrawl(site.get("recrawl", {}), label, problem)
    if not named:
        return None
    return Source(
        name=str(name),
        start_urls=tuple(urls["start_urls"]),
        sitemaps=tuple(urls["sitemaps"]),
        robots_sitemaps=bool(robots),
        feeds=tuple(urls["feeds"]),
        allowed_domains=tuple(d.lower().removeprefix("www.") for d in domains),
        include=tuple(patterns["include"]),
        exclude=tuple(patterns["exclude"]),
        depth=int(depth),
        delay=float(delay),
        concurrency=int(concurrency),
        profile=profile,
        recrawl=recrawl,
    )


def _strings(site: dict[str, Any], key: str, label: str, problem: Any) -> list[str]:
    value = site.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problem(f"{label}: {key} must be a list of strings", key)
        return []
    return [v.strip() for v in value]


def _valid(table: dict[str, Any], key: str, label: str, problem: Any, limits: _Limits) -> bool:
    """Whether ``table[key]`` is a number of its kind within its limits; reports it when not."""
    kind, low, high, _ = limits[key]
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and not isinstance(value, int)):
        problem(f"{label}: {key} must be a{'n integer' if kind is int else ' number'}, not {value!r}", key)
        return False
    if not low <= value <= high:
        problem(f"{label}: {key} must be between {low:g} and {high:g}, not {value!r}", key)
        return False
    return True


def _number(table: dict[str, Any], key: str, label: str, problem: Any, limits: _Limits) -> float:
    """``table[key]`` when valid (a bad one is reported), else its default."""
    if key in table and _valid(table, key, label, problem, limits):
        return float(table[key])
    return limits[key][3]


def _recrawl(value: Any, label: str, problem: Any) -> RecrawlPolicy:
    if not isinstance(value, dict):
        problem(f"{label}: recrawl must be a table (fresh_days, interval_days)", "recrawl")
        return RecrawlPolicy()
    for key in sorted(set(value) - _RECRAWL_KEYS):
        problem(f"{label}: recrawl: unknown key {key!r}", key)
    fresh, interval = (_number(value, key, f"{label}: recrawl", problem, _RECRAWL_LIMITS) for key in _RECRAWL_LIMITS)
    return RecrawlPolicy(fresh, interval)
