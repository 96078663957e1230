"""archiver.warc.reader on WARC files shaped as other tools write them, written here with warcio.

Each file holds what crawlers leave: a ``warcinfo`` record, request/response pairs (response
first as Heritrix and Browsertrix write them, request first as wget does), a chunked and
gzip-encoded payload, br and deflate payloads, two ``revisit`` records (with and without HTTP
headers), non-HTML responses (an image, JSON), a ``metadata`` and a ``resource`` record, a DNS
response, records with a broken WARC header, and a tail cut in the middle of a gzip member.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import brotli
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.warc.reader import Exchange, Location, WarcError, WarcReader, concurrent_resources, read_exchange

PAGE_A = b"<!DOCTYPE html><html><head><title>A</title></head><body><p>First article, plain.</p></body></html>"
PAGE_B = b"<html><head><title>B</title></head><body><p>Second article, chunked and gzip.</p></body></html>" * 40
PAGE_C = "<html><head><title>C</title></head><body><p>Troisième, br: é à ü.</p></body></html>".encode()
PAGE_D = b"<html><head><title>D</title></head><body><p>Fourth, deflate, wget.</p></body></html>"
PAGE_E = b"<html><head><title>E</title></head><body><p>Not found.</p></body></html>"
PAGE_F = b"<html><head><title>F</title></head><body><p>After the broken records.</p></body></html>"
PAGE_G = b"<html><head><title>G</title></head><body><p>The last, cut short.</p></body></html>"

#: What every exchange of the whole file should be: URL -> (status, decoded payload).
EXPECTED = {
    "http://news.example/a": (200, PAGE_A),
    "http://news.example/b": (200, PAGE_B),
    "https://news.example/c": (200, PAGE_C),
    "http://blog.example/d": (200, PAGE_D),
    "http://news.example/missing": (404, PAGE_E),
    "http://news.example/a?again": (200, PAGE_A),  # revisit with HTTP headers
    "http://news.example/a?third": (200, PAGE_A),  # revisit without HTTP headers
    "http://news.example/f": (200, PAGE_F),
    "http://news.example/g": (200, PAGE_G),
}

#: What is skipped in the whole (uncut) file, and why.
SKIPPED = {
    "warcinfo record": 1,
    "request record": 5,
    "metadata record": 1,
    "resource record": 1,
    "not an HTTP response": 1,
    "not HTML": 2,
    "malformed": 2,
}


def chunked(data: bytes, size: int = 100) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def http(status: str, *headers: tuple[str, str]) -> StatusAndHeaders:
    return StatusAndHeaders(status, list(headers), protocol="HTTP/1.1")


def request(writer: WARCWriter, url: str) -> object:
    head = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "news.example")], is_http_request=True)
    return writer.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0, http_headers=head)


def response(writer: WARCWriter, url: str, body: bytes, head: StatusAndHeaders) -> object:
    return writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body), http_headers=head)


def record(writer: WARCWriter, url: str, kind: str, body: bytes, content_type: str) -> object:
    """A record without HTTP headers (metadata, resource, a DNS response)."""
    return writer.create_warc_record(
        url, kind, payload=io.BytesIO(body), length=len(body), warc_content_type=content_type
    )


def write_warc(path: Path, compress: bool) -> None:
    """The test WARC: every kind of record other tools write, and two broken ones before the last pages."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=compress, warc_version="WARC/1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "Heritrix/3.4 (test)"}))
        html = ("Content-Type", "text/html; charset=utf-8")
        first = response(writer, "http://news.example/a", PAGE_A, http("200 OK", html))
        writer.write_request_response_pair(request(writer, "http://news.example/a"), first)
        encoded = chunked(gzip.compress(PAGE_B))
        b_head = http("200 OK", html, ("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip"))
        b_pair = (request(writer, "http://news.example/b"), response(writer, "http://news.example/b", encoded, b_head))
        writer.write_request_response_pair(*b_pair)
        c_head = http("200 OK", ("Content-Type", "text/html"), ("Content-Encoding", "br"))
        c_record = response(writer, "https://news.example/c", brotli.compress(PAGE_C), c_head)
        writer.write_request_response_pair(request(writer, "https://news.example/c"), c_record)
        # wget: the request first, then the response; deflate as a zlib stream
        d_head = http("200 OK", ("Content-Type", "text/html"), ("Content-Encoding", "deflate"))
        writer.write_record(request(writer, "http://blog.example/d"))
        writer.write_record(response(writer, "http://blog.example/d", deflate(PAGE_D), d_head))
        image = response(writer, "http://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(300), http("200 OK"))
        image.http_headers.add_header("Content-Type", "image/png")
        writer.write_record(image)
        data = b'{"comments": []}'
        writer.write_record(
            response(writer, "http://news.example/api", data, http("200 OK", ("Content-Type", "application/json")))
        )
        outlinks = b"outlink: http://news.example/b\r\n"
        writer.write_record(record(writer, "http://news.example/a", "metadata", outlinks, "application/warc-fields"))
        shot = b"<html>a resource, not a response</html>"
        writer.write_record(record(writer, "http://news.example/screenshot", "resource", shot, "text/html"))
        dns = b"news.example. 300 IN A 192.0.2.1\n"
        writer.write_record(record(writer, "dns:news.example", "response", dns, "text/dns"))
        writer.write_record(response(writer, "http://news.example/missing", PAGE_E, http("404 Not Found", html)))
        digest = first.rec_headers.get_header("WARC-Payload-Digest")
        date = first.rec_headers.get_header("WARC-Date")
        with_http = writer.create_revisit_record(
            "http://news.example/a?again", digest, "http://news.example/a", date, http_headers=http("200 OK", html)
        )
        with_http.rec_headers.add_header("WARC-Refers-To", first.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(with_http)
        writer.write_record(writer.create_revisit_record("http://news.example/a?third", digest, "", date))
        for broken in (
            b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: twelve\r\n\r\nnot a length\r\n\r\n",
            b"WARC/1.1\r\nWARC-Type response\r\nno colon, no length\r\n\r\n\r\n\r\n",
        ):
            out.write(gzip.compress(broken) if compress else broken)
        writer.write_record(response(writer, "http://news.example/f", PAGE_F, http("200 OK", html)))
        writer.write_record(request(writer, "http://news.example/g"))
        writer.write_record(response(writer, "http://news.example/g", PAGE_G, http("200 OK", html)))


@pytest.fixture(params=["warc.gz", "warc"])
def warc(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"test.{request.param}"
    write_warc(path, compress=request.param == "warc.gz")
    return path


def read_all(*paths: Path, **options: object) -> tuple[list[Exchange], WarcReader]:
    reader = WarcReader(paths, **options)  # type: ignore[arg-type]
    return list(reader), reader


def warcio_record_at(path: Path, offset: int) -> tuple[str | None, int, int]:
    """(target URI, offset, length) of the record warcio reads at offset."""
    with path.open("rb") as stream:
        stream.seek(offset)
        records = ArchiveIterator(stream)
        record = next(records)
        return (
            record.rec_headers.get_header("WARC-Target-URI"),
            records.get_record_offset(),
            records.get_record_length(),
        )


def test_every_html_exchange_comes_out_decoded(warc: Path) -> None:
    exchanges, reader = read_all(warc)
    assert [e.url for e in exchanges] == list(EXPECTED)
    assert {e.url: (e.status, e.payload) for e in exchanges} == EXPECTED
    assert dict(reader.skipped) == SKIPPED
    assert reader.exchanges == len(EXPECTED)
    assert reader.records == len(EXPECTED) + sum(SKIPPED.values())


def test_headers_date_digest_and_content_type_are_the_records(warc: Path) -> None:
    exchanges, _ = read_all(warc)
    by_url = {e.url: e for e in exchanges}
    b = by_url["http://news.example/b"]
    assert b.content_type == "text/html; charset=utf-8"
    assert b.header("transfer-encoding") == "chunked" and b.header("Content-Encoding") == "gzip"
    assert b.digest is not None and b.digest.startswith("sha1:")
    assert b.record_id is not None and b.record_id.startswith("<urn:uuid:")
    assert b.date.tzinfo is not None and abs(b.date - datetime.now(UTC)).total_seconds() < 3600
    assert by_url["https://news.example/c"].content_type == "text/html"


def test_offsets_and_lengths_are_warcios(warc: Path) -> None:
    """Every exchange's byte range is the one warcio's ArchiveIterator gives the record there."""
    for exchange in read_all(warc)[0]:
        assert warcio_record_at(warc, exchange.offset) == (exchange.url, exchange.offset, exchange.length)


def test_ranges_match_warcio_over_a_whole_file(tmp_path: Path) -> None:
    """On a file warcio reads from end to end, the ranges of every response are warcio's."""
    path = tmp_path / "clean.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "wget/1.21"}))
        for n in range(20):
            url = f"http://news.example/{n}"
            writer.write_record(request(writer, url))
            page = PAGE_A.replace(b"plain", b"plain %d" % n) * (n + 1)
            writer.write_record(response(writer, url, page, http("200 OK", ("Content-Type", "text/html"))))
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        expected = [
            (r.rec_headers.get_header("WARC-Target-URI"), records.get_record_offset(), records.get_record_length())
            for r in records
            if r.rec_type == "response"
        ]
    assert [(e.url, e.offset, e.length) for e in read_all(path)[0]] == expected


def test_a_revisit_gets_the_payload_it_refers_to(warc: Path) -> None:
    exchanges, _ = read_all(warc)
    by_url = {e.url: e for e in exchanges}
    first = by_url["http://news.example/a"]
    for url in ("http://news.example/a?again", "http://news.example/a?third"):
        revisit = by_url[url]
        assert revisit.payload == PAGE_A
        assert revisit.revisit_of == first.location
        assert revisit.digest == first.digest
        assert revisit.offset != first.offset
        # the response it refers to as read to resolve it (an import names it without reading it again)
        assert revisit.original == replace(first, payload=b"", headers=())
    assert by_url["http://news.example/a?third"].headers == first.headers  # none of its own: the original's
    assert first.original is None


def test_a_revisit_before_its_response_is_resolved_after_the_files(tmp_path: Path) -> None:
    original, later = tmp_path / "1.warc.gz", tmp_path / "2.warc.gz"
    with original.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        record = response(writer, "http://news.example/a", PAGE_A, http("200 OK", ("Content-Type", "text/html")))
        writer.write_record(record)
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    with later.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_revisit_record("http://news.example/a?2", digest, "", "2026-01-01T00:00:00Z"))
        writer.write_record(writer.create_revisit_record("http://news.example/x", "sha1:NOTHERE", "", "2026-01-01"))
    exchanges, reader = read_all(later, original)
    assert [(e.url, e.payload) for e in exchanges] == [
        ("http://news.example/a", PAGE_A),
        ("http://news.example/a?2", PAGE_A),
    ]
    assert exchanges[1].revisit_of == Location(original, 0, exchanges[0].length)
    assert exchanges[1].file == later
    assert dict(reader.skipped) == {"unresolved revisit": 1}


@pytest.mark.parametrize("keep", ["half", 40], ids=["mid-record", "in-the-warc-header"])
def test_a_truncated_tail_is_counted_and_the_rest_read(warc: Path, keep: str | int) -> None:
    data = warc.read_bytes()
    last = max(e.offset for e in read_all(warc)[0])
    cut = warc.with_name("cut-" + warc.name)
    cut.write_bytes(data[: last + ((len(data) - last) // 2 if keep == "half" else int(keep))])
    exchanges, reader = read_all(cut)
    assert [e.url for e in exchanges] == list(EXPECTED)[:-1]
    assert dict(reader.skipped) == {**SKIPPED, "truncated": 1}


def test_a_tail_cut_inside_the_gzip_trailer_is_truncated(tmp_path: Path) -> None:
    path = tmp_path / "t.warc.gz"
    write_warc(path, compress=True)
    path.write_bytes(path.read_bytes()[:-3])
    exchanges, reader = read_all(path)
    assert [e.url for e in exchanges] == list(EXPECTED)[:-1]
    assert reader.skipped["truncated"] == 1


def test_non_html_responses_come_out_when_asked(warc: Path) -> None:
    exchanges, reader = read_all(warc, html_only=False)
    by_url = {e.url: e for e in exchanges}
    assert by_url["http://news.example/logo.png"].content_type == "image/png"
    assert by_url["http://news.example/api"].payload == b'{"comments": []}'
    assert "not HTML" not in reader.skipped


def test_a_payload_over_the_limit_is_skipped(warc: Path) -> None:
    exchanges, reader = read_all(warc, max_payload=len(PAGE_B) - 1)
    assert "http://news.example/b" not in {e.url for e in exchanges}
    assert reader.skipped["too large"] == 1


def test_an_encoding_that_cannot_be_decoded_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        html = ("Content-Type", "text/html")
        for n, (body, coding) in enumerate(
            [
                (b"\x1f\x8b not gzip", "gzip"),
                (gzip.compress(PAGE_A)[:-20], "gzip"),  # cut short
                (b"\x28\xb5\x2f\xfd" + bytes(40), "zstd"),  # unknown here
                (PAGE_A, "gzip"),  # the header names gzip, the payload was stored decoded: read as stored
            ],
            start=1,
        ):
            head = http("200 OK", html, ("Content-Encoding", coding))
            writer.write_record(response(writer, f"http://x.example/{n}", body, head))
    exchanges, reader = read_all(path)
    assert [(e.url, e.payload) for e in exchanges] == [("http://x.example/4", PAGE_A)]
    assert dict(reader.skipped) == {"undecodable content-encoding": 3}


def test_a_file_gzipped_whole_is_counted_not_misaddressed(tmp_path: Path) -> None:
    plain = tmp_path / "t.warc"
    write_warc(plain, compress=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    exchanges, reader = read_all(whole)
    assert exchanges == []
    assert set(reader.skipped) == {"several records in one gzip member"}


def test_read_exchange_reads_one_record_at_its_offset(warc: Path) -> None:
    for exchange in read_all(warc)[0]:
        if exchange.revisit_of is None:
            assert read_exchange(warc, exchange.offset) == exchange
    with pytest.raises(WarcError, match="revisit"):
        read_exchange(warc, next(e for e in read_all(warc)[0] if e.revisit_of).offset)
    with pytest.raises(WarcError):
        read_exchange(warc, 3)


def test_nothing_but_garbage_is_one_malformed_record(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not a WARC file\n" * 100)
    exchanges, reader = read_all(path)
    assert exchanges == []
    assert dict(reader.skipped) == {"malformed": 1}


def test_a_payload_the_crawler_cut_short_is_skipped(tmp_path: Path) -> None:
    """WARC-Truncated: the crawler kept only part of the payload (Heritrix, Common Crawl at their size limits)."""
    path = tmp_path / "cc.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        cut = response(writer, "http://news.example/long", PAGE_A[:40], http("200 OK", ("Content-Type", "text/html")))
        cut.rec_headers.add_header("WARC-Truncated", "length")
        writer.write_record(cut)
        writer.write_record(
            response(writer, "http://news.example/a", PAGE_A, http("200 OK", ("Content-Type", "text/html")))
        )
    exchanges, reader = read_all(path)
    assert [e.url for e in exchanges] == ["http://news.example/a"]
    assert dict(reader.skipped) == {"truncated by the crawler": 1}


def test_a_record_without_an_id_has_no_concurrent_resources(tmp_path: Path) -> None:
    """A resource after a record names the record it was captured with (``WARC-Concurrent-To``):
    with no id to match, none is the record's, even one that names no record at all."""
    path = tmp_path / "other-tool.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(response(writer, "https://a.example/", b"<p>a</p>", http))
        writer.write_record(record(writer, "https://b.example/", "resource", b"<p>b</p>", "text/html"))
    assert concurrent_resources(path, 0, "", 5) == []
