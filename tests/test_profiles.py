"""Site profiles: the most specific layer, applied only to their domains."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from archiver.extract import Profile, ProfileError, extract_article, load_profiles
from tests.conftest import FIXTURES, run_archiver

PAGE = FIXTURES / "profile-pages" / "news-example-org.html"
URL = "https://news.example.org/lokales/radwege"


@pytest.fixture
def profiles() -> tuple[Profile, ...]:
    return load_profiles(str(FIXTURES / "profiles"))


def test_profile_fields_and_comments(profiles: tuple[Profile, ...]) -> None:
    article = extract_article(PAGE.read_bytes(), URL, profiles=profiles)
    assert article.authors == ["Jonas Weber"]
    assert article.published == "2023-04-02T10:00:00+02:00"
    assert article.provenance["authors"] == article.provenance["published"] == "profile:example-news"
    assert [(c.number, c.author, c.published) for c in article.comments] == [
        (1, "Karin aus der Südstadt", "2023-04-02T12:14:00+02:00"),
        (2, "M. Roth", "2023-04-02T13:40:00+02:00"),
    ]
    assert article.comments[1].body == "Und wo sollen die Lieferwagen halten? Daran hat wieder niemand gedacht."
    assert article.body is not None and "abonnieren" not in article.body and "Radwege" in article.body


def test_a_profile_sent_to_an_extraction_process_reads_the_same(profiles: tuple[Profile, ...]) -> None:
    """A profile's rules compile their XPath once, and stay picklable: the crawl and the import send
    the profile to their extraction processes with each page."""
    sent = pickle.loads(pickle.dumps(profiles))
    assert sent == profiles
    assert extract_article(PAGE.read_bytes(), URL, profiles=sent) == extract_article(
        PAGE.read_bytes(), URL, profiles=profiles
    )


def test_profile_applies_only_to_its_domains(profiles: tuple[Profile, ...]) -> None:
    elsewhere = extract_article(PAGE.read_bytes(), "https://other.example.com/x", profiles=profiles)
    assert "profile:example-news" not in elsewhere.provenance.values()
    assert elsewhere.comments == []


def test_subdomain_matches(profiles: tuple[Profile, ...]) -> None:
    article = extract_article(PAGE.read_bytes(), "https://www.m.news.example.org/x", profiles=profiles)
    assert article.provenance["authors"] == "profile:example-news"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x"', "'domains' must be a non-empty list"),
        ('domains = ["a.org"]\n[fields]\nheadline = "h1"', "unknown key fields.headline"),
        ('domains = ["a.org"]\n[fields]\ntitle = "h1[[["', "bad selector"),
        ("domains = [", "x.toml"),
    ],
)
def test_bad_profile_names_file_and_problem(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "x.toml").write_text(text)
    with pytest.raises(ProfileError, match=message) as raised:
        load_profiles.__wrapped__(str(tmp_path))
    assert str(tmp_path / "x.toml") in str(raised.value)


def test_extract_command_with_profiles(tmp_path: Path) -> None:
    result = run_archiver("extract", str(PAGE), "--url", URL, "--profiles", str(FIXTURES / "profiles"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"Jonas Weber"' in result.stdout and '"profile:example-news"' in result.stdout


def test_crawl_refuses_bad_profiles_before_fetching(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("domains = 3")
    result = run_archiver(
        "crawl", "http://127.0.0.1:9/", "--db", "a.db", "-s", f"ARCHIVER_PROFILES_DIR={tmp_path}", cwd=tmp_path
    )
    assert result.returncode == 2
    assert "bad.toml" in result.stderr.splitlines()[-1]
    assert not (tmp_path / "a.db").exists()
