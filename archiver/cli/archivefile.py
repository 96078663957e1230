"""Opening the archive a command is given (``--db``): one line and exit code 2 when it cannot be used.

Every reading command opens it with :func:`reading`, every writing command with :func:`writing`
(or checks it before it starts with :func:`check_writable`, or :func:`check_usable` to change
nothing). The checks themselves are the archive's (``archiver.archive.store.check_archive``): a
missing file, a file that is not SQLite, another program's database, an empty file (for a
reader; a writer creates its archive there) or an archive of a newer schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from archiver.archive import Archive, ArchiveError, check_archive_file, open_read_only


class BadArchive(click.ClickException):
    """The file given as the archive cannot be used: ``Error: <why>`` on one line, exit code 2."""

    exit_code = 2


@contextmanager
def reading(db: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the archive, closed at the end of the block."""
    try:
        conn = open_read_only(db)
    except ArchiveError as exc:
        raise BadArchive(str(exc)) from exc
    try:
        yield conn
    finally:
        conn.close()


def writing(db: Path) -> Archive:
    """The archive opened for writing (created in a new or empty file, migrated)."""
    try:
        return Archive(db)
    except ArchiveError as exc:
        raise BadArchive(str(exc)) from exc


def check_writable(db: Path) -> None:
    """Open (create or migrate) the archive now and close it, so a bad one fails before any fetch."""
    writing(db).close()


def check_usable(db: Path) -> None:
    """Refuse now a file that is not an archive (nor new or empty), without creating or changing anything."""
    try:
        check_archive_file(db, new_ok=True)
    except ArchiveError as exc:
        raise BadArchive(str(exc)) from exc
