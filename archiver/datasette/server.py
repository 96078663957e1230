"""Browsing an archive in Datasette, with archiver's metadata: titles, descriptions, FTS, canned queries.

The archive is opened in Datasette's ordinary file mode, which reads through a ``mode=ro`` SQLite
connection: a crawl can go on writing the archive (WAL) while it is served, and new rows show up.
``--immutable`` would be wrong here: it tells SQLite the file never changes, so it ignores the WAL
and can read half-written pages while a crawl writes. Use it only on a copy (see README).
"""

from __future__ import annotations

import asyncio
import socket
from importlib.resources import files
from pathlib import Path
from typing import Any

#: The database name the shipped metadata is written for (the file ``archive.db``).
METADATA_DATABASE = "archive"

#: Datasette settings of ``archiver serve``: table pages cut text cells longer than this (an
#: article's own page, ``/archive/articles/<id>``, shows them whole).
SETTINGS = {"truncate_cells_html": 300}


def metadata(database: str = METADATA_DATABASE) -> dict[str, Any]:
    """The shipped Datasette metadata, for a database of the given name (Datasette names it by file stem)."""
    from datasette.utils import parse_metadata

    data: dict[str, Any] = parse_metadata(files("archiver.datasette").joinpath("metadata.yml").read_text("utf-8"))
    databases = data["databases"]
    databases[database] = databases.pop(METADATA_DATABASE)
    return data


def check_port(host: str, port: int) -> None:
    """Raise OSError now if nothing can listen on host:port (in use, or not an address of this machine)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))


def build(path: Path) -> Any:
    """A Datasette instance serving the archive read-only, with archiver's metadata, plugin and templates."""
    from datasette.app import Datasette

    from archiver.datasette import plugin

    plugin.register()  # before Datasette starts: it reads the plugins' hooks as it builds itself
    templates = files("archiver.datasette").joinpath("templates")
    datasette = Datasette([str(path)], metadata=metadata(path.stem), settings=SETTINGS, template_dir=str(templates))
    datasette.remove_database(path.stem)  # the same file, opened as Datasette would, with one log line per error
    datasette.add_database(plugin.ArchiveDatabase(datasette, str(path)), name=path.stem)
    return datasette


def serve(path: Path, host: str, port: int) -> None:
    """Serve the archive with Datasette until interrupted (Ctrl-C or SIGTERM)."""
    import uvicorn

    datasette = build(path)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
