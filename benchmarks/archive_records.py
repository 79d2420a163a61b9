"""CPU of archiving one exchange (request and response WARC records, each its own gzip member), the way
before issue 17's session 7 (warcio's record writer, its digests computed chunk by chunk, the file's
path resolved on every write) and now (``WarcArchive.write``: the envelope written here, warcio encoding
the HTTP head), side by side in one run, on the real sudrf pages in ``../shared/reference/pages``: whole
(259 KB on average, where compression dominates) and cut to 15 KB (the size of a replica card or listing).

Usage: .venv/bin/python benchmarks/archive_records.py [--rounds N]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from isal import igzip, isal_zlib
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from warduty.crawl.archive import WarcArchive, stored_path
from warduty.crawl.client import Exchange

PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "pages"
REQUEST = (
    ("Host", "gvs.sudrf.ru"),
    ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"),
    ("Accept", "text/html,*/*"),
)
RESPONSE = (
    ("Server", "nginx"),
    ("Content-Type", "text/html; charset=windows-1251"),
    ("Connection", "keep-alive"),
)


def write_before(folder: Path, exchange: Exchange, files: dict[str, io.BufferedWriter]) -> int:
    """The archive's write as it was: warcio builds and serialises both records."""
    path = folder / f"{exchange.court_code}.warc.gz"
    handle = files.get(str(path))
    if handle is None:
        handle = files[str(path)] = path.open("ab")
    writer = WARCWriter(io.BytesIO(), gzip=False)
    extra = {"WARC-Date": exchange.fetched_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
    request = writer.create_warc_record(
        exchange.url,
        "request",
        http_headers=StatusAndHeaders("GET /modules.php HTTP/1.1", list(REQUEST), is_http_request=True),
        warc_headers_dict=extra,
    )
    headers = [*exchange.response_headers, ("Content-Length", str(len(exchange.body)))]
    response = writer.create_warc_record(
        exchange.url,
        "response",
        payload=io.BytesIO(exchange.body),
        length=len(exchange.body),
        http_headers=StatusAndHeaders("200 OK", headers, "HTTP/1.1"),
        warc_headers_dict=extra,
    )
    for record in (request, response):
        buffer = io.BytesIO()
        writer.out = buffer
        writer.write_record(record)
        handle.write(igzip.compress(buffer.getvalue(), compresslevel=isal_zlib.ISAL_DEFAULT_COMPRESSION))
    handle.flush()
    stored_path(path, folder.parent)
    return handle.tell()


def cpu_per_exchange(exchanges: list[Exchange], now: bool, rounds: int) -> float:
    """Milliseconds of CPU per exchange, the best of ``rounds`` passes, each into a new folder."""
    best = float("inf")
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.process_time()
            if now:
                archive = WarcArchive(Path(tmp), 1, relative_to=Path(tmp))
                for exchange in exchanges:
                    archive.write(exchange)
                archive.close()
            else:
                folder = Path(tmp) / "run-1"
                folder.mkdir()
                files: dict[str, io.BufferedWriter] = {}
                for exchange in exchanges:
                    write_before(folder, exchange, files)
                for handle in files.values():
                    handle.close()
            best = min(best, time.process_time() - started)
    return 1000 * best / len(exchanges)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    bodies = [path.read_bytes() for path in sorted(PAGES.glob("*.html"))]
    if not bodies:
        sys.exit(f"no pages in {PAGES}: this benchmark reads the real pages of ../shared/reference")
    when = datetime.now(UTC)
    print(f"{len(bodies)} real pages; best of {args.rounds} rounds (CPU time per exchange: two records)")
    print("| bodies | before | now | now / before |")
    print("|---|---|---|---|")
    for label, cut in (("whole real pages", None), ("real pages cut to 15 KB", 15_000)):
        exchanges = [
            Exchange(
                f"https://gvs.sudrf.ru/modules.php?name=sud_delo&delo_id={i}",
                REQUEST,
                200,
                RESPONSE,
                bodies[i % len(bodies)][:cut],
                when,
                f"77GV00{i % 5:02d}",
            )
            for i in range(20 * len(bodies))
        ]
        before = cpu_per_exchange(exchanges, False, args.rounds)
        now = cpu_per_exchange(exchanges, True, args.rounds)
        print(f"| {label} | {before:.3f} ms | {now:.3f} ms | {now / before:.2f} |")


if __name__ == "__main__":
    main()
