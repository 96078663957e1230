"""Site profiles: declarative per-domain rules, the most specific extraction layer.

A profile is a TOML file (see ``archiver/profiles/README.md``)::

    name = "example-news"
    domains = ["news.example.org"]          # the domain and its subdomains
    remove = [".promo", "aside.related"]    # elements dropped before anything is read

    [fields]                                # CSS, or XPath when it starts with "/" or "(";
    title = "h1.headline"                   # "@attr" at the end reads an attribute
    authors = ".sig .name"                  # every match is one author
    published = "span.when@datetime"
    modified = "span.updated@datetime"
    body = "div.story-text"

    [comments]
    item = "div.reader-note"
    author = ".who"
    date = ".when"
    body = ".what"

Profiles ship in ``archiver/profiles/``; ``ARCHIVER_PROFILES_DIR`` adds a folder of one's own
(a profile there replaces a shipped one of the same name).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import lxml.html
from cssselect import SelectorError
from lxml import etree
from parsel.csstranslator import css2xpath

from archiver.extract.text import block_text, clean

#: The folder of profiles shipped with the package.
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "profiles"
_CSS_ATTRIBUTE = re.compile(r"(.+?)@([\w:-]+)")
FIELDS = ("title", "authors", "published", "modified", "body")
COMMENT_FIELDS = ("item", "author", "date", "body")


class ProfileError(ValueError):
    """A profile file is malformed: names the file and what is wrong."""


@dataclass(frozen=True)
class Rule:
    """A compiled selector: an XPath and, for CSS written "selector@attr", the attribute to read."""

    xpath: str
    attribute: str | None = None

    @property
    def compiled(self) -> etree.XPath:
        """The XPath, compiled once in a process (a rule stays picklable: an extraction process is sent it)."""
        return _compiled(self.xpath)

    @classmethod
    def parse(cls, selector: str, where: str) -> Rule:
        """Compile CSS (with an optional "@attr" suffix) or XPath; a bad one names where it is."""
        attribute = None
        try:
            if selector.startswith(("/", "(")):
                xpath = selector
            else:
                m = _CSS_ATTRIBUTE.fullmatch(selector)
                css, attribute = (m[1], m[2]) if m else (selector, None)
                xpath = css2xpath(css)
            _compiled(xpath)  # a bad XPath raises here
        except (SelectorError, etree.XPathError) as exc:
            raise ProfileError(f"{where}: bad selector {selector!r}: {exc}") from exc
        return cls(xpath, attribute)

    def elements(self, root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
        """Elements the rule selects under root."""
        return [el for el in self.compiled(root) if isinstance(el, lxml.html.HtmlElement)]

    def values(self, root: lxml.html.HtmlElement) -> list[str]:
        """The texts (or attribute values) the rule selects, paragraphs kept."""
        texts = []
        for found in self.compiled(root):
            if isinstance(found, lxml.html.HtmlElement):
                texts.append(found.get(self.attribute) or "" if self.attribute else block_text(found))
            elif isinstance(found, str):
                texts.append(clean(found))
        return [t for t in texts if t]


@lru_cache(maxsize=1024)
def _compiled(xpath: str) -> etree.XPath:
    return etree.XPath(xpath)


@dataclass(frozen=True)
class Profile:
    """One site's rules."""

    name: str
    domains: tuple[str, ...]
    remove: tuple[Rule, ...] = ()
    fields: dict[str, Rule] = field(default_factory=dict)
    comments: dict[str, Rule] = field(default_factory=dict)

    def applies_to(self, domain: str) -> bool:
        """True for one of the profile's domains or a subdomain of one."""
        return any(domain == d or domain.endswith("." + d) for d in self.domains)

    @property
    def source(self) -> str:
        """The provenance label of what this profile finds."""
        return f"profile:{self.name}"


def _table(data: dict[str, object], key: str, allowed: tuple[str, ...], where: str) -> dict[str, Rule]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise ProfileError(f"{where}: [{key}] must be a table")
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise ProfileError(f"{where}: unknown key {key}.{unknown[0]} (expected one of {', '.join(allowed)})")
    return {name: Rule.parse(str(value), f"{where}: {key}.{name}") for name, value in table.items()}


def load_profile(path: Path) -> Profile:
    """Read and check one profile file."""
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{where}: {exc}") from exc
    domains = data.get("domains")
    if not isinstance(domains, list) or not domains or not all(isinstance(d, str) for d in domains):
        raise ProfileError(f"{where}: 'domains' must be a non-empty list of host names")
    remove = data.get("remove", [])
    if not isinstance(remove, list):
        raise ProfileError(f"{where}: 'remove' must be a list of selectors")
    return Profile(
        name=str(data.get("name") or path.stem),
        domains=tuple(d.lower().removeprefix("www.") for d in domains),
        remove=tuple(Rule.parse(str(r), f"{where}: remove") for r in remove),
        fields=_table(data, "fields", FIELDS, where),
        comments=_table(data, "comments", COMMENT_FIELDS, where),
    )


@lru_cache(maxsize=8)
def load_profiles(user_dir: str | None = None) -> tuple[Profile, ...]:
    """The shipped profiles and those in user_dir (which replace shipped ones of the same name)."""
    by_name: dict[str, Profile] = {}
    for folder in (SHIPPED_DIR, Path(user_dir) if user_dir else None):
        if folder is None:
            continue
        if not folder.is_dir():
            raise ProfileError(f"{folder}: ARCHIVER_PROFILES_DIR is not a folder")
        for path in sorted(folder.glob("*.toml")):
            profile = load_profile(path)
            by_name[profile.name] = profile
    return tuple(by_name.values())


def profile_for(domain: str, profiles: tuple[Profile, ...]) -> Profile | None:
    """The profile for a host, the one naming the longest matching domain."""
    matching = [p for p in profiles if p.applies_to(domain)]
    return max(matching, key=lambda p: max(len(d) for d in p.domains if p.applies_to(domain)), default=None)
