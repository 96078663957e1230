"""The kinds of failed fetches recorded in `fetches`, and how Retry-After values are read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, DownloadFailedError, DownloadTimeoutError, IgnoreRequest
from twisted.internet.error import ConnectionRefusedError

from archiver.crawl.middlewares.retryafter import retry_after_seconds
from archiver.crawl.middlewares.runlog import describe, failure_kind


@pytest.mark.parametrize(
    ("exception", "kind"),
    [
        (DownloadTimeoutError("took longer than 3 seconds"), "timeout"),
        (DownloadCancelledError(""), "too-large"),
        (IgnoreRequest("body exceeded DOWNLOAD_MAXSIZE (16 B) during decompression"), "too-large"),
        (IgnoreRequest("max redirections reached"), "redirect-limit"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots.txt"),
        (IgnoreRequest("offsite"), "ignored"),
        (DownloadFailedError("connection lost"), "connection"),
        (ConnectionRefusedError(), "connection"),
        (ValueError("odd"), "ValueError"),
    ],
)
def test_failure_kind(exception: Exception, kind: str) -> None:
    assert failure_kind(exception) == kind


def test_describe_names_the_limit_and_the_loop() -> None:
    request = Request("http://127.0.0.1/big")
    assert describe(DownloadCancelledError(), request, 1024) == (
        "too-large: DownloadCancelledError: the response passed DOWNLOAD_MAXSIZE (1024 bytes)"
    )
    looped = Request("http://127.0.0.1/a", meta={"redirect_urls": ["http://127.0.0.1/a", "http://127.0.0.1/b"]})
    assert describe(IgnoreRequest("max redirections reached"), looped, 0).startswith("redirect-loop: ")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("1", 1.0), (" 120 ", 120.0), ("Sun, 01 Dec 2030 10:00:30 GMT", 30.0), ("Sun, 01 Dec 2030 09:00:00 GMT", 0.0),
     ("soon", None), ("-5", None)],
)  # fmt: skip
def test_retry_after_seconds(value: str, seconds: float | None) -> None:
    assert retry_after_seconds(value, now=datetime(2030, 12, 1, 10, 0, tzinfo=UTC)) == seconds
