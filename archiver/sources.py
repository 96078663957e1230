"""The sources file: what a scheduled run crawls, site by site (TOML).

A sources file has optional ``[defaults]`` and one ``[[site]]`` table per site::

    [defaults]
    delay = 1.0              # seconds between requests to one site
    concurrency = 2          # requests in flight per site
    depth = 2                # links followed from start pages

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archiver.urls import is_http_url

_SITE_KEYS = {
    "name", "start_urls", "sitemaps", "robots_sitemaps", "feeds", "allowed_domains", "include", "exclude",
    "depth", "delay", "concurrency", "profile", "recrawl",
}  # fmt: skip
_DEFAULT_KEYS = {"depth", "delay", "concurrency", "recrawl"}
_RECRAWL_KEYS = {"fresh_days", "interval_days"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


@dataclass(frozen=True)
class Recrawl:
    """When archived articles are fetched again."""

    fresh_days: float = 14.0
    interval_days: float = 7.0


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
    recrawl: Recrawl = field(default_factory=Recrawl)

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
    """Finds the line of a site's key in the file's text, for messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.sites = [i for i, line in enumerate(self.lines) if re.match(r"\s*\[\[\s*site\s*\]\]", line)]

    def of(self, site: int | None, key: str = "", value: str = "") -> int:
        start, end = 0, len(self.lines)
        if site is not None and site < len(self.sites):
            start = self.sites[site]
            end = self.sites[site + 1] if site + 1 < len(self.sites) else end
        for i in range(start, end):
            line = self.lines[i]
            if value and value in line:
                return i + 1
            if not value and key and re.match(rf"\s*{re.escape(key)}\s*=", line):
                return i + 1
        if value and key:
            return self.of(site, key)
        return start + 1


def load_sources(path: Path) -> list[Source]:
    """The sources of a file; raises SourcesError listing every problem with its line."""
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

    def problem(site: int | None, message: str, key: str = "", value: str = "") -> None:
        problems.append(f"{path}:{lines.of(site, key, value)}: {message}")

    for key in sorted(set(data) - {"defaults", "site"}):
        problem(None, f"unknown table or key {key!r} (expected [defaults] and [[site]] tables)", key)
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        problem(None, "defaults must be a table", "defaults")
        defaults = {}
    for key in sorted(set(defaults) - _DEFAULT_KEYS):
        problem(None, f"[defaults]: unknown key {key!r}", key)
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
        source = _source(index, merged, lambda m, k="", v="", i=index: problem(i, m, k, v))
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


def _source(index: int, site: dict[str, Any], problem: Any) -> Source | None:
    name = site.get("name")
    label = f"site {name!r}" if isinstance(name, str) else f"site #{index + 1}"
    named = isinstance(name, str) and bool(_NAME.match(name))
    if not named:
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
    depth = _number(site, "depth", label, problem, int, 0, 100, 2)
    delay = _number(site, "delay", label, problem, float, 0, 3600, 1.0)
    concurrency = _number(site, "concurrency", label, problem, int, 1, 64, 2)
    profile = site.get("profile", "")
    if not isinstance(profile, str):
        problem(f"{label}: profile must be a profile's name", "profile")
        profile = ""
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


def _number(
    site: dict[str, Any], key: str, label: str, problem: Any, kind: type, low: float, high: float, default: float
) -> float:
    value = site.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and not isinstance(value, int)):
        problem(f"{label}: {key} must be a{'n integer' if kind is int else ' number'}, not {value!r}", key)
        return default
    if not low <= value <= high:
        problem(f"{label}: {key} must be between {low:g} and {high:g}, not {value!r}", key)
        return default
    return value


def _recrawl(value: Any, label: str, problem: Any) -> Recrawl:
    if not isinstance(value, dict):
        problem(f"{label}: recrawl must be a table (fresh_days, interval_days)", "recrawl")
        return Recrawl()
    for key in sorted(set(value) - _RECRAWL_KEYS):
        problem(f"{label}: recrawl: unknown key {key!r}", key)
    fresh = _number(value, "fresh_days", f"{label}: recrawl", problem, float, 0, 3650, 14.0)
    interval = _number(value, "interval_days", f"{label}: recrawl", problem, float, 0, 3650, 7.0)
    return Recrawl(float(fresh), float(interval))
