"""Shared fixtures: the demo site on a real 127.0.0.1 server, the installed command."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archiver.demo import SITE_DIR, SiteServer

FIXTURES = Path(__file__).parent / "fixtures"
REALPAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "realpages"


def require(condition: bool, reason: str) -> None:
    """Skip with a reason locally; fail in CI, where ARCHIVER_REQUIRE_ALL=1."""
    if condition:
        return
    if os.environ.get("ARCHIVER_REQUIRE_ALL") == "1":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def demo_site() -> Iterator[SiteServer]:
    """The bundled demo site served on an ephemeral 127.0.0.1 port, stopped after the test."""
    with SiteServer(SITE_DIR) as server:
        yield server


@pytest.fixture(scope="session")
def demo_expected() -> dict[str, Any]:
    """What a careful reader says each demo article holds."""
    return json.loads((FIXTURES / "demo_expected.json").read_text(encoding="utf-8"))


def archiver_command() -> list[str]:
    """The installed ``archiver`` console script of this environment."""
    script = Path(sys.executable).with_name("archiver")
    return [str(script)] if script.exists() else [shutil.which("archiver") or "archiver"]


def run_archiver(*args: str, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess, as a user would."""
    return subprocess.run(
        [*archiver_command(), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    """Rows of a query on a real SQLite file."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
