"""The serve command: the archive in Datasette."""

from __future__ import annotations

from pathlib import Path

import click

from archiver.cli.archivefile import reading
from archiver.cli.common import CommandFailed, db_option


@click.command()
@db_option("SQLite archive to read.")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only)."
)
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
def serve(db: Path, host: str, port: int) -> None:
    """Browse the archive in Datasette (read-only), with titles, full-text search and canned queries."""
    from archiver.datasette import server as serving

    with reading(db):
        pass  # an archive this archiver can read, checked before Datasette opens it
    try:
        serving.check_port(host, port)
    except OSError as exc:
        raise CommandFailed(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: anyone who can reach this port can read the archive", err=True)
    click.echo(f"serving {db} read-only at http://{host}:{port}/ (Ctrl-C to stop)")
    serving.serve(db, host, port)


COMMANDS = (serve,)
