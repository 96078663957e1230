"""The extract command: what would be archived from saved pages."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import click

from archiver.cli.common import profiles_option


class IsoTime(click.ParamType):
    """An ISO 8601 time (2024-05-01T12:00:00+02:00, ...Z, or a date); without an offset, UTC."""

    name = "ISO-TIME"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            when = datetime.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 time, such as 2024-05-01T12:00:00Z", param, ctx)
        return when if when.tzinfo else when.replace(tzinfo=UTC)


def _url_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from archiver.urls import is_http_url

    if value is not None and not is_http_url(value):
        raise click.BadParameter(f"{value!r} is not an absolute http:// or https:// URL")
    return value


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--url",
    default=None,
    callback=_url_option,
    help="The URL the page was saved from (default: its file: URL).",
)
@click.option(
    "--fetched-at",
    type=IsoTime(),
    default=None,
    help="When the page was fetched (ISO 8601; UTC without an offset). Without it, fetched_at is null"
    ' and relative dates ("2 hours ago") are read against the current time.',
)
@profiles_option
def extract(files: tuple[Path, ...], url: str | None, fetched_at: datetime | None, profiles_dir: Path | None) -> None:
    """Print what would be archived from saved pages, one JSON object per line.

    Each line also holds `page_type`: what a crawl would make of the page (`kind`: "article",
    "thread" or "other", which a crawl skips), the `reason` and every signal weighed. A field
    that is absent is null and has no provenance. A page that cannot be read is reported
    as `archiver: FILE: problem` on stderr and the others are still extracted (exit code 1).
    """
    from archiver.extract import NotHTMLError, ProfileError, extract_page, load_profiles

    try:
        profiles = load_profiles(str(profiles_dir) if profiles_dir else None)
    except ProfileError as exc:
        click.echo(f"archiver: {exc}", err=True)
        sys.exit(2)
    failed = False
    for path in files:
        try:
            html = path.read_bytes()
            article, kind = extract_page(html, url or path.resolve().as_uri(), fetched_at, profiles=profiles)
        except (NotHTMLError, OSError) as exc:
            click.echo(f"archiver: {path}: {_problem(exc)}", err=True)
            failed = True
            continue
        decision = {"kind": kind.kind, "reason": kind.reason, "signals": list(kind.signals)}
        click.echo(json.dumps({**asdict(article), "page_type": decision}, ensure_ascii=False))
    if failed:
        sys.exit(1)


def _problem(exc: Exception) -> str:
    """What went wrong reading a file, without repeating its name."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a saved page"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


COMMANDS = (extract,)
