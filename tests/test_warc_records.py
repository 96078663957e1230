"""The WARC writer writes an exchange's records by hand: they must be the bytes warcio writes for the
same records (header order, digests, lengths, non-ASCII headers %-encoded), read back by warcio with
their digests checked and indexed by cdxj-indexer. The reference below builds them as the writer
did through warcio's own record objects."""

from __future__ import annotations

import gzip
import io
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter as WarcioWriter

from archiver.warc.writer import (
    IDENTICAL_PAYLOAD,
    RENDERED_FROM_HEADER,
    RENDERED_HEADER,
    SERVER_NOT_MODIFIED,
    Capture,
    Exchange,
    WarcWriter,
    _reason,
    _request_target,
    warc_date,
)

PAGE = b"<html><head><title>Caf\xc3\xa9</title></head><body><p>Hello</p></body></html>"
WHEN = datetime(2026, 12, 7, 6, 30, 15, 123456, tzinfo=UTC)


def exchange(**changes: object) -> Exchange:
    values: dict[str, object] = {
        "url": "http://127.0.0.1:8000/news/a?id=3",
        "method": "GET",
        "request_headers": [("Accept", "text/html"), ("User-Agent", "archiver-test")],
        "status": 200,
        "response_headers": [("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")],
        "body": PAGE,
        "date": WHEN,
    }
    values.update(changes)
    return Exchange(**values)  # type: ignore[arg-type]


# warcio's record building (what the writer did before it wrote the records by hand)


def _headers(ex: Exchange, extra: dict[str, str]) -> dict[str, str]:
    headers = {"WARC-Date": warc_date(ex.date), **extra}
    if ex.rendered:
        headers[RENDERED_HEADER] = "true"
        if ex.rendered_from:
            headers[RENDERED_FROM_HEADER] = ex.rendered_from
    if ex.ip_address:
        headers["WARC-IP-Address"] = ex.ip_address
    return headers


def _http(ex: Exchange) -> StatusAndHeaders:
    kept = [(name, value) for name, value in ex.response_headers if name.lower() != "transfer-encoding"]
    return StatusAndHeaders(_reason(ex.status), kept, protocol=ex.protocol)


def warcio_records(ex: Exchange, same_as: Capture | None) -> bytes:
    """The response (or revisit) and request records of ``ex`` as warcio builds and writes them, uncompressed."""
    out = io.BytesIO()
    writer = WarcioWriter(out, gzip=False, warc_version="1.1")
    if ex.status == 304 or same_as is not None:
        extra = {"WARC-Profile": SERVER_NOT_MODIFIED if ex.status == 304 else IDENTICAL_PAYLOAD}
        if same_as is not None:
            extra |= {"WARC-Refers-To": same_as.record_id, "WARC-Refers-To-Target-URI": same_as.url,
                      "WARC-Refers-To-Date": same_as.fetched_at}  # fmt: skip
        digest = (ex.digest if ex.status != 304 else None) or (same_as.payload_digest if same_as else None)
        if digest:
            extra["WARC-Payload-Digest"] = digest
        first = writer.create_warc_record(
            ex.url, "revisit", warc_headers_dict=_headers(ex, extra), http_headers=_http(ex)
        )
    else:
        first = writer.create_warc_record(
            ex.url, "response", payload=io.BytesIO(ex.body), length=len(ex.body),
            warc_headers_dict=_headers(ex, {"WARC-Payload-Digest": str(ex.digest)}), http_headers=_http(ex),
        )  # fmt: skip
    record_id = first.rec_headers.get_header("WARC-Record-ID")
    target, host = _request_target(ex.url)
    headers = list(ex.request_headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", host))
    request_http = StatusAndHeaders(f"{ex.method} {target} {ex.protocol}", headers, is_http_request=True)
    request = writer.create_warc_record(
        ex.url, "request", payload=io.BytesIO(ex.request_body), length=len(ex.request_body),
        warc_headers_dict=_headers(ex, {"WARC-Concurrent-To": record_id}), http_headers=request_http,
    )  # fmt: skip
    writer.write_record(first)
    writer.write_record(request)
    return out.getvalue()


UUID = re.compile(rb"<urn:uuid:[0-9a-f-]{36}>")


def numbered_ids(data: bytes) -> bytes:
    """``data`` with each record id replaced by its order of first appearance (ids are random a run)."""
    seen: dict[bytes, bytes] = {}
    return UUID.sub(lambda m: seen.setdefault(m.group(0), b"<id-%d>" % len(seen)), data)


EARLIER = Capture(
    record_id="<urn:uuid:00000000-0000-4000-8000-000000000001>",
    url="http://127.0.0.1:8000/news/a?id=3",
    status=200,
    fetched_at="2026-12-06T10:00:00.000001Z",
    warc_file="x.warc.gz",
    offset=0,
    length=1,
    payload_digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    type="response",
)

CASES = {
    "plain page": (exchange(), None),
    "with its server's address": (exchange(ip_address="127.0.0.1"), None),
    "a POST with a body": (exchange(method="POST", request_body=b"q=caf%C3%A9&page=2"), None),
    "an empty body": (exchange(body=b"", status=204), None),
    "an unknown status": (exchange(status=599), None),
    "a 404 over HTTP/1.0": (exchange(status=404, protocol="HTTP/1.0"), None),
    "a Host header of its own": (exchange(request_headers=[("Host", "example.org"), ("Accept", "*/*")]), None),
    "a non-ASCII header": (
        exchange(response_headers=[("Content-Disposition", 'inline; filename="café.html"'), ("X-Title", "Grüße")]),
        None,
    ),
    "a non-ASCII request header": (exchange(request_headers=[("Referer", "http://127.0.0.1:8000/été")]), None),
    "a rendered page": (exchange(rendered=True, rendered_from="<urn:uuid:00000000-0000-4000-8000-000000000009>"), None),
    "a rendered page of no source": (exchange(rendered=True, ip_address="::1"), None),
    "the same payload again": (exchange(), EARLIER),
    "a 304 of a copy held": (exchange(status=304, body=b""), EARLIER),
    "a 304 of no copy held": (exchange(status=304, body=b""), None),
}


@pytest.mark.parametrize("case", CASES)
def test_an_exchanges_records_are_the_bytes_warcio_writes(tmp_path: Path, case: str) -> None:
    ex, same_as = CASES[case]
    writer = WarcWriter(tmp_path, "t", 10**9, tmp_path)
    writer.open()
    capture = writer.write(ex, same_as=same_as)
    writer.close()
    with (tmp_path / capture.warc_file).open("rb") as stream:
        stream.seek(capture.offset)
        written = gzip.decompress(stream.read())  # the record and its request, two gzip members
    expected = warcio_records(ex, same_as)
    assert numbered_ids(written) == numbered_ids(expected)
    assert capture.record_id.encode() == UUID.search(written.split(b"\r\nWARC-Record-ID: ", 1)[1]).group(0)  # type: ignore[union-attr]


#: A value with a ``;`` whose non-ASCII bytes are outside its ``=value`` parts (raw UTF-8 as Scrapy decodes
#: it, latin-1): warcio %-encodes the ``=value`` parts only, leaves the rest as it is, and raises.
RAW_LINK = '<http://127.0.0.1:8000/café>; rel="canonical"'.encode().decode("latin-1")


def test_a_value_warcio_cannot_encode_is_percent_encoded_whole(tmp_path: Path) -> None:
    """Where warcio raises, the writer %-encodes the value whole (as warcio does a value without ``;``):
    the records are warcio's for that value %-encoded, every other header warcio's own way."""
    with pytest.raises(UnicodeEncodeError):
        StatusAndHeaders("200 OK", [("Link", RAW_LINK)], protocol="HTTP/1.1").to_ascii_bytes()
    others = [("Content-Disposition", 'inline; filename="café.html"'), ("X-Title", "Grüße")]
    ex = exchange(response_headers=[("Link", RAW_LINK), *others], request_headers=[("Referer", RAW_LINK)])
    writer = WarcWriter(tmp_path, "t", 10**9, tmp_path)
    writer.open()
    capture = writer.write(ex)
    writer.close()
    with (tmp_path / capture.warc_file).open("rb") as stream:
        stream.seek(capture.offset)
        written = gzip.decompress(stream.read())
    quoted = quote(RAW_LINK)
    expected = warcio_records(
        exchange(response_headers=[("Link", quoted), *others], request_headers=[("Referer", quoted)]), None
    )
    assert numbered_ids(written) == numbered_ids(expected)
    with (tmp_path / capture.warc_file).open("rb") as stream:
        records = list(ArchiveIterator(stream, check_digests=True))
    assert [r.rec_type for r in records] == ["warcinfo", "response", "request"]


def test_the_records_read_back_with_their_digests_and_index(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path, "t", 10**9, tmp_path)
    writer.open()
    captures = [writer.write(ex, same_as=same_as) for ex, same_as in CASES.values()]
    writer.close()
    (path,) = writer.files
    with path.open("rb") as stream:
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Record-ID"), r.content_stream().read())
            for r in ArchiveIterator(stream, check_digests=True)
        ]
    assert [kind for kind, _, _ in records] == ["warcinfo"] + [k for c in captures for k in (c.type, "request")]
    responses = [(record_id, body) for kind, record_id, body in records if kind == "response"]
    assert [record_id for record_id, _ in responses] == [c.record_id for c in captures if c.type == "response"]
    assert responses[0][1] == PAGE
    index = subprocess.run(
        [Path(sys.executable).with_name("cdxj-indexer"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(index) == len(captures)  # one line a response or revisit; requests are not indexed
    assert all('"mime": "warc/revisit"' in line for line, c in zip(index, captures, strict=True) if c.type == "revisit")
