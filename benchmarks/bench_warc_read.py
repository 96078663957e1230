"""``make bench-warc-read``: reading a 5,000-page WARC with warcio, FastWARC and archiver's reader; import speed.

Usage: python -m benchmarks.bench_warc_read [--pages N] [--source sitegen|realpages] [--realpages FOLDER]
                                           [--extract N] [--rounds R] [--cache FOLDER] [--rebuild]
                                           [--commands [--processes N...]]

Builds (once, cached under ``$TMPDIR/archiver-bench-warc`` or ``--cache``) a ``.warc.gz`` shaped as
crawlers write them: a ``warcinfo`` record, then for each page a ``request``/``response`` pair,
one gzip member per record; a third of the pages sent plain, a third with ``Content-Encoding:
gzip``, a third chunked and gzip-encoded; a ``robots.txt`` and a PNG image every 25 pages, and a
second capture of every 20th page as a ``revisit`` record (identical payload digest). Its pages
are the generated site of ``benchmarks/sitegen.py`` (``--source sitegen``, the default) or the
saved real pages of ``../shared/bench/realpages`` (``--source realpages``: read from there, each
page used as often as needed, under a URL of its own). The same file uncompressed (``.warc``)
beside it.

Then reports, each figure in a fresh subprocess, the best of ``--rounds``:

1. records/s reading every record's payload: warcio's ``ArchiveIterator`` (``content_stream()``:
   de-chunked and decoded), FastWARC's ``ArchiveIterator`` (payload as stored; its own
   ``auto_decode`` stops at the first chunked record in 2.0.1), and ``archiver.warc.reader``
   (de-chunked and decoded, offsets, revisits resolved), on the ``.warc.gz`` and the ``.warc``;
2. peak RSS of archiver's reader on the file and on the same records four times over (constant memory);
3. pages per CPU second of the import's work on the first ``--extract`` HTML pages, one process:
   reading + ``archiver.extract.read_page`` beside reading + trafilatura's ``bare_extraction``
   (comments on, its default; comments off) and + ``extract`` and ``bare_extraction`` (what
   ``make bench-crawl``'s baseline c runs on each page).
4. with ``--commands``: ``archiver import`` of the whole file into a new archive (reading,
   extraction, the archive's writes) and ``archiver reextract`` of that archive (every article
   read again from its capture, nothing to change), with each of ``--processes``: pages per CPU
   second of all processes (the workers' included) and pages per second of wall time.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.realpages import DEFAULT_DIR as REALPAGES
from benchmarks.realpages import records as real_records

#: Bumped whenever the builder changes, so that a cached WARC of an older shape is not reused.
BUILDER_VERSION = 1
CHUNKED = ("Transfer-Encoding", "chunked")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16


def pages(source: str, count: int, cache: Path, folder: Path = REALPAGES) -> Iterator[tuple[str, bytes]]:
    """(URL, HTML bytes) of ``count`` pages from the generated site or the saved real pages in folder."""
    if source == "realpages":
        saved = list(real_records(folder))
        for n in range(count):
            record = saved[n % len(saved)]
            url = record.url if n < len(saved) else f"{record.url}{'&' if '?' in record.url else '?'}copy={n}"
            yield url, record.path.read_bytes()
        return
    from benchmarks.sitegen import generate, read_expected

    site = cache / f"site-{count}"
    if not (site / "expected.jsonl").exists():
        shutil.rmtree(site, ignore_errors=True)
        generate(site, count)
    for expected in read_expected(site):
        file = expected.url.lstrip("/") + ("index.html" if expected.url.endswith("/") else "")
        yield f"http://courier.example{expected.url}", (site / file).read_bytes()


def _chunked(data: bytes, rng: random.Random) -> bytes:
    out, at = bytearray(), 0
    while at < len(data):
        size = rng.randint(1_000, 9_000)
        out += b"%x\r\n" % len(data[at : at + size]) + data[at : at + size] + b"\r\n"
        at += size
    return bytes(out + b"0\r\n\r\n")


def _request(writer: Any, url: str) -> Any:
    from warcio.statusandheaders import StatusAndHeaders

    http = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "x")], is_http_request=True)
    return writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=http)


def build(path: Path, source: str, count: int, cache: Path, folder: Path) -> None:
    """Write the benchmark's .warc.gz (and the .warc beside it) as a crawler writes them."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(18)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "bench_warc_read", "pages": count}))
        first: dict[str, tuple[str, str, str, list[tuple[str, str]]]] = {}

        def exchange(url: str, body: bytes, headers: list[tuple[str, str]]) -> None:
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
            writer.write_request_response_pair(_request(writer, url), record)
            header = record.rec_headers.get_header
            first[url] = (header("WARC-Record-ID"), header("WARC-Date"), header("WARC-Payload-Digest"), headers)

        def revisit(url: str) -> None:
            record_id, date, digest, headers = first[url]
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            record = writer.create_revisit_record(url, digest, url, date, http_headers=http)
            record.rec_headers.add_header("WARC-Refers-To", record_id)
            writer.write_request_response_pair(_request(writer, url), record)

        revisits = []
        for n, (url, html) in enumerate(pages(source, count, cache, folder)):
            kind = n % 3
            if kind == 0:
                exchange(url, html, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(html)))])
            elif kind == 1:
                body = gzip.compress(html, 6)
                exchange(url, body, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
            else:
                body = _chunked(gzip.compress(html, 6), rng)
                headers = [
                    ("Content-Type", "text/html"),
                    ("Content-Encoding", "gzip"),
                    ("Transfer-Encoding", "chunked"),
                ]
                exchange(url, body, headers)
            if n % 20 == 0:
                revisits.append(url)
            if n % 25 == 0:
                exchange(f"http://assets.example/{n}/robots.txt", b"User-agent: *\n", [("Content-Type", "text/plain")])
                exchange(f"http://assets.example/{n}/logo.png", PNG, [("Content-Type", "image/png")])
        for url in revisits:
            revisit(url)
    with gzip.open(partial, "rb") as packed, path.with_suffix("").open("wb") as plain:
        shutil.copyfileobj(packed, plain, 1 << 20)
    partial.rename(path)


def warc_files(source: str, count: int, cache: Path, rebuild: bool, folder: Path = REALPAGES) -> tuple[Path, Path]:
    """The cached benchmark WARC (.warc.gz, .warc) for a source and page count, built when missing."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"bench-v{BUILDER_VERSION}-{source}-{count}.warc.gz"
    if rebuild or not path.exists():
        build(path, source, count, cache, folder)
    return path, path.with_suffix("")


def read_warcio(path: Path) -> int:
    """Every record's payload through warcio (de-chunked and decoded); the number of records."""
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            record.content_stream().read()
            count += 1
    return count


def read_fastwarc(path: Path) -> int:
    """Every record's payload through FastWARC (as stored); the number of records."""
    from fastwarc.warc import ArchiveIterator as FastIterator

    count = 0
    with path.open("rb") as stream:
        for record in FastIterator(stream, strict_mode=False):
            record.reader.read()
            count += 1
    return count


def read_archiver(path: Path) -> int:
    """Every HTML exchange through archiver's reader (decoded, ranges, revisits resolved); the records read."""
    from archiver.warc.reader import WarcReader

    reader = WarcReader([path])
    for _exchange in reader:
        pass
    return reader.records


READERS = {"warcio": read_warcio, "fastwarc": read_fastwarc, "archiver": read_archiver}


#: The extractors compared on the same records: archiver's, and trafilatura as one would use it to import.
EXTRACTORS = {
    "archiver": "read + archiver `read_page` (fields and comments)",
    "trafilatura": "read + trafilatura `bare_extraction(with_metadata=True)` (comments on, its default)",
    "trafilatura-nocomments": "read + trafilatura `bare_extraction(with_metadata=True, include_comments=False)`",
    "trafilatura-crawl": "read + trafilatura `extract` and `bare_extraction` (bench-crawl's baseline c)",
}


def extract(path: Path, extractor: str, limit: int) -> tuple[int, float]:
    """Read the first ``limit`` HTML exchanges and extract each as the import would; pages and CPU seconds.

    The imports and the site profiles are loaded before the clock starts.
    """
    import trafilatura

    from archiver.extract import load_profiles, profile_for, read_page
    from archiver.extract.document import decode_html
    from archiver.settings import declared
    from archiver.warc.reader import WarcReader

    min_words = declared["ARCHIVER_EXTRACT_MIN_WORDS"].default
    profiles = load_profiles()
    done, start = 0, time.process_time()
    for exchange in WarcReader([path]):
        if done == limit:
            break
        url = exchange.url
        if extractor == "archiver":
            read_page(exchange.payload, url, exchange.date, min_words, profile_for(url.split("/")[2], profiles))
        else:
            text = decode_html(exchange.payload)
            comments = extractor != "trafilatura-nocomments"
            trafilatura.bare_extraction(text, url=url, with_metadata=True, include_comments=comments)
            if extractor == "trafilatura-crawl":
                trafilatura.extract(text, url=url)
        done += 1
    return done, time.process_time() - start


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the extraction processes)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _import_db(warc: Path) -> Path:
    """The archive an import of a benchmark WARC writes, beside it (one per WARC: runs of two sources may overlap)."""
    return warc.with_name(warc.name.split(".")[0] + ".import.db")


def import_file(path: Path, processes: int, db: Path) -> tuple[int, float, float]:
    """``archiver import`` of the file into a new archive at ``db``: pages read, CPU seconds (workers
    included), wall seconds."""
    from archiver.archive import Archive
    from archiver.warc.importer import Importer

    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    archive = Archive(db)
    cpu, wall = _cpu(), time.monotonic()
    stats = Importer(archive, processes=processes).run([path])
    archive.close()
    return stats.exchanges, _cpu() - cpu, time.monotonic() - wall


def reextract_archive(db: Path, processes: int) -> tuple[int, float, float]:
    """``archiver reextract`` of every article of the archive: articles, CPU seconds, wall seconds."""
    from archiver.archive import Archive
    from archiver.warc.reextract import Reextractor

    archive = Archive(db)
    cpu, wall = _cpu(), time.monotonic()
    stats = Reextractor(archive, processes=processes).run()
    archive.close()
    assert stats.changed == 0 and stats.missing == 0, stats
    return stats.articles, _cpu() - cpu, time.monotonic() - wall


def child(task: str, path: Path, limit: int) -> None:
    """One measurement in this process: prints records, CPU seconds and peak RSS as JSON."""
    import resource

    wall = 0.0
    if task.startswith("extract:"):
        count, cpu = extract(path, task.split(":")[1], limit)
    elif task.startswith("import:"):  # path: the WARC file; the archive beside it
        count, cpu, wall = import_file(path, int(task.split(":")[1]), _import_db(path))
    elif task.startswith("reextract:"):  # path: the archive an import wrote
        count, cpu, wall = reextract_archive(path, int(task.split(":")[1]))
    else:
        start = time.process_time()
        count = READERS[task](path)
        cpu = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"count": count, "cpu": cpu, "peak": peak, "wall": wall}))


def measure(task: str, path: Path, limit: int = 0, rounds: int = 1) -> dict[str, float]:
    """The best of ``rounds`` runs of a task, each in a fresh interpreter."""
    best: dict[str, float] = {}
    for _ in range(rounds):
        command = [
            sys.executable,
            "-m",
            "benchmarks.bench_warc_read",
            "--child",
            task,
            str(path),
            "--extract",
            str(limit),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout.splitlines()[-1])
        if not best or figures["cpu"] < best["cpu"]:
            best = figures
    return best


def fourfold(path: Path) -> Path:
    """The same records four times over in one file (gzip members concatenate)."""
    bigger = path.with_name(path.name.replace(".warc", "-x4.warc"))
    if not bigger.exists() or bigger.stat().st_size != 4 * path.stat().st_size:
        with bigger.open("wb") as out:
            for _ in range(4):
                with path.open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
    return bigger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--source", choices=["sitegen", "realpages"], default="sitegen")
    parser.add_argument("--extract", type=int, default=5000, help="HTML pages to extract (0: skip extraction)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--realpages", type=Path, default=REALPAGES, help="the saved real pages (--source realpages)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "archiver-bench-warc")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--commands", action="store_true", help="also time archiver import and reextract")
    parser.add_argument("--processes", type=int, nargs="+", default=[0, 2], help="of import and reextract")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.extract)
        return
    packed, plain = warc_files(args.source, args.pages, args.cache, args.rebuild, args.realpages)
    mib = 1 << 20
    print(f"{args.pages:,} pages ({args.source}): {packed.stat().st_size / mib:.0f} MiB .warc.gz, "
          f"{plain.stat().st_size / mib:.0f} MiB .warc; best of {args.rounds} runs, CPU time")  # fmt: skip
    print("\n| reader | file | records | records/s (CPU) | peak RSS MiB |\n| --- | --- | --- | --- | --- |")
    for path in (packed, plain):
        for name in READERS:
            figures = measure(name, path, rounds=args.rounds)
            rate = figures["count"] / figures["cpu"]
            print(f"| {name} | {path.suffix} | {figures['count']:,.0f} | {rate:,.0f} | {figures['peak'] / mib:.0f} |")
    bigger = fourfold(packed)
    figures = measure("archiver", bigger, rounds=1)
    print(f"| archiver | 4 x .gz | {figures['count']:,.0f} | {figures['count'] / figures['cpu']:,.0f} "
          f"| {figures['peak'] / mib:.0f} |")  # fmt: skip
    rates: dict[str, float] = {}
    if args.extract:
        print("\n| import work, one process | pages | CPU s | pages/CPU-s |\n| --- | --- | --- | --- |")
        for extractor, label in EXTRACTORS.items():
            figures = measure(f"extract:{extractor}", packed, args.extract, rounds=1)
            rates[extractor] = figures["count"] / figures["cpu"]
            print(f"| {label} | {figures['count']:,.0f} | {figures['cpu']:.1f} | {rates[extractor]:.1f} |")
        print()
        for extractor in list(EXTRACTORS)[1:]:
            print(f"archiver / {extractor}: {rates['archiver'] / rates[extractor]:.2f}x (target: at least 2x)")
    if args.commands:
        commands(packed, args.processes, rates.get("trafilatura"))


def commands(packed: Path, processes: list[int], trafilatura: float | None) -> None:
    """The whole commands: ``archiver import`` of the file into a new archive (reading, extraction,
    the archive's writes), then ``archiver reextract`` of that archive, with each number of processes."""
    print("\n| command | processes | pages | CPU s (all processes) | pages/CPU-s | wall s | pages/s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    per_core = {}
    # reextract reads the archive the last import wrote (the same whatever the number of processes)
    for task, path in (("import", packed), ("reextract", _import_db(packed))):
        for number in processes:
            figures = measure(f"{task}:{number}", path)
            rate = figures["count"] / figures["cpu"]
            per_core.setdefault(task, rate)
            print(f"| {task} | {number} | {figures['count']:,.0f} | {figures['cpu']:.1f} | {rate:.1f} "
                  f"| {figures['wall']:.1f} | {figures['count'] / figures['wall']:.1f} |", flush=True)  # fmt: skip
    if trafilatura:
        print(f"\nimport per core / trafilatura bare_extraction per core: {per_core['import'] / trafilatura:.2f}x"
              " (target: at least 2x)")  # fmt: skip


if __name__ == "__main__":
    main()
