"""The bundled demo site and a small static server for it (also used by the tests)."""

from __future__ import annotations

from pathlib import Path

from archiver.demo.server import SiteServer

#: The demo site's files, shipped inside the package.
SITE_DIR = Path(__file__).with_name("site")

__all__ = ["SITE_DIR", "SiteServer"]
