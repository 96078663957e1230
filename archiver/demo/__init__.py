"""The bundled demo site and a small static server for it (also used by the tests)."""

from __future__ import annotations

from pathlib import Path

from archiver.demo.server import SiteServer

#: The demo site's files, shipped inside the package.
SITE_DIR = Path(__file__).with_name("site")
#: The address ``archiver demo`` crawls its site under, whatever port serves it (see ``proxy``):
#: a reserved name (RFC 2606) that no real site has.
ORIGIN = "http://demo-gazette.example/"
#: The port the demo's server asks for first.
PORT = 8642

__all__ = ["ORIGIN", "PORT", "SITE_DIR", "SiteServer"]
