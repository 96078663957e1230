"""The crawl benchmark's own helpers (``benchmarks/bench_crawl.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_crawl import read_page_cpu_at_once


def test_read_page_at_once_says_in_one_line_that_its_processes_failed(tmp_path: Path) -> None:
    """The processes of the cores' sharing reference failing (here: no site to read) stop the benchmark
    with one line saying so and the last line of the error, not a ``float`` of their empty output."""
    with pytest.raises(SystemExit) as stopped:
        read_page_cpu_at_once(tmp_path / "no-site", "http://127.0.0.1:9/", 2)
    message = str(stopped.value)
    assert message.startswith("bench_crawl: read_page in 2 processes at once failed: ")
    assert "\n" not in message and len(message) > len("bench_crawl: read_page in 2 processes at once failed: ")
