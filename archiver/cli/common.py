"""What the commands share: exit codes as exceptions, options, and the -s settings and site profiles
checked before anything is created."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from archiver.crawl.sources import Source, SourcesError, load_sources
from archiver.settings import SettingError, check_overrides, check_settings, read_setting

F = TypeVar("F", bound=Callable[..., Any])

#: Settings for crawling a server on this machine: no politeness delay is needed.
LOCAL_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "ROBOTSTXT_OBEY": "True"}


class CommandFailed(click.ClickException):
    """The command ran but could not do its job (nothing fetched, a query refused): exit code 1."""

    exit_code = 1


class Locked(click.ClickException):
    """Another run holds the lock: exit code 3, so a scheduler can tell it from a failure."""

    exit_code = 3


def check_folder(folder: Path, what: str) -> None:
    """Refuse now, in one line naming the folder, a folder where ``what`` could not be written; nothing
    is created (a missing folder is made later, when its nearest existing parent takes new files)."""
    existing = folder.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise CommandFailed(f"cannot write {what} in {folder}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise CommandFailed(f"cannot write {what} in {folder}: {existing} is not writable")


def parse_set(values: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="-s/--set")
        overrides[name.strip()] = setting
    return overrides


#: The reactor archiver's crawl runs on (its spider and workers use asyncio; Scrapy's default).
ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def check_crawl_settings(overrides: dict[str, str]) -> None:
    """Check the settings now, as declared in archiver.settings: a bad value given with -s fails
    before anything is created, naming the setting; so does a bad site profile, naming the file,
    another reactor than asyncio's, and ``ARCHIVER_RENDER_COMMENTS=always`` without Chromium. Without
    Chromium under ``auto``: one warning."""
    from archiver.crawl.render import RenderUnavailable, browser_path
    from archiver.crawl.runner import build_settings

    settings = build_settings(Path("archive.db"), Path("exports"), overrides, None)
    try:
        check_overrides(overrides)
        check_settings(settings)
        chromium = browser_path(settings)
    except (SettingError, RenderUnavailable) as exc:
        raise click.UsageError(str(exc)) from None
    if not settings.getbool("TWISTED_REACTOR_ENABLED") or settings.get("TWISTED_REACTOR") != ASYNCIO_REACTOR:
        raise click.UsageError(
            "-s TWISTED_REACTOR_ENABLED, TWISTED_REACTOR: the crawl runs on Twisted's asyncio reactor"
            f" ({ASYNCIO_REACTOR})"
        )
    if chromium is None and read_setting(settings, "ARCHIVER_RENDER_COMMENTS") == "auto":
        wanted = read_setting(settings, "ARCHIVER_RENDER_CHROMIUM")
        click.echo(
            f"archiver: warning: no Chromium at {wanted!r}: comments that load by script are not read"
            " (their comments_status stays script or external:<service>)",
            err=True,
        )
    check_profiles(read_setting(settings, "ARCHIVER_PROFILES_DIR") or None)


def check_profiles(folder: str | None) -> None:
    """Read the site profiles now, so a bad file fails before any fetch, naming the file."""
    from archiver.extract import ProfileError, load_profiles

    try:
        load_profiles(folder or None)
    except ProfileError as exc:
        raise click.UsageError(str(exc)) from exc


def profile_names(folder: str | None) -> set[str]:
    """The names of the site profiles at hand (archiver's and the folder's); a bad file is a usage error."""
    from archiver.extract import ProfileError, load_profiles

    try:
        return {p.name for p in load_profiles(folder or None)}
    except ProfileError as exc:
        raise click.UsageError(str(exc)) from exc


def load_sources_checked(path: Path, folder: str | None) -> list[Source]:
    try:
        return load_sources(path, profile_names(folder))
    except SourcesError as exc:
        raise click.UsageError("\n".join(exc.problems)) from exc


#: The --db help of the commands that write the archive.
WRITE_DB = "SQLite archive to write (created in a new or empty file; another program's database is refused)."


def db_option(help_text: str) -> Callable[[F], F]:
    """The --db option (default archive.db), with the command's own help line."""
    return click.option(
        "--db",
        "db",
        default="archive.db",
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help=help_text,
    )


def start_options(sources_help: str) -> Callable[[F], F]:
    """The start URLs of a crawl: URLS, --urls-file and --sources (crawl and enqueue)."""

    def decorate(command: F) -> F:
        command = click.option(
            "--sources",
            "sources_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help=sources_help,
        )(command)
        command = click.option(
            "--urls-file",
            type=click.Path(dir_okay=False, path_type=Path),
            help=(
                "File with one start URL per line (blank lines and lines starting with # are skipped;"
                " a bad line is named FILE:LINE)."
            ),
        )(command)
        return click.argument("urls", nargs=-1)(command)

    return decorate


def start_urls(urls: tuple[str, ...], urls_file: Path | None) -> list[str]:
    """URLs from the arguments and the file, each checked; a usage error names the bad one (and its
    file and line), or a file that holds no URL."""
    from archiver.urls import is_http_url, numbered_urls

    found = [("", url) for url in urls]
    if urls_file is not None:
        try:
            listed = numbered_urls(str(urls_file))
        except (OSError, UnicodeDecodeError) as exc:
            raise click.UsageError(f"cannot read --urls-file {urls_file}: {exc}") from exc
        if not listed:
            raise click.UsageError(f"--urls-file {urls_file} holds no URL (one a line; # starts a comment)")
        found += [(f"{urls_file}:{line}: ", url) for line, url in listed]
    for where, url in found:
        if not is_http_url(url):
            raise click.UsageError(f"{where}invalid URL {url!r}: expected an absolute http:// or https:// URL")
    return [url for _, url in found]


profiles_option = click.option(
    "--profiles",
    "profiles_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of site profiles of your own (as ARCHIVER_PROFILES_DIR).",
)
exports_option = click.option(
    "--exports",
    default="exports",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the crawl's JSON Lines file.",
)
