"""The archive's WARC records: warcio reads each back with its digests checked, headers and body as they
came, including what a hostile site could send (non-ASCII header values, a line break in a URL, an empty or
binary body)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from warduty.crawl.archive import WarcArchive, iter_responses, read_response
from warduty.crawl.client import ArchiveRef, Exchange

WHEN = datetime(2024, 4, 12, 9, 30, 1, 250000, tzinfo=UTC)
REQUEST = (("Host", "gvs.sudrf.ru"), ("User-Agent", "warduty-test"), ("Accept", "text/html,*/*"))


def _exchange(url: str, body: bytes, headers: tuple[tuple[str, str], ...], court: str | None) -> Exchange:
    return Exchange(url, REQUEST, 200, headers, body, WHEN, court)


EXCHANGES = [
    _exchange(
        "https://gvs.sudrf.ru/modules.php?name=sud_delo&delo_id=1540006&U1_DEFENDANT__LAW_ARTICLESS=337",
        "<html><body>Гарнизонный военный суд</body></html>".encode("cp1251"),
        (("Content-Type", "text/html; charset=windows-1251"), ("Content-Encoding", "gzip")),
        "77GV0017",
    ),
    _exchange(
        "https://gvs.sudrf.ru/card?x=1\r\nWARC-Type: forged",  # a line break from a hostile link
        b"",
        # Non-ASCII header values (warcio's own encoder fails on the first), undecodable bytes as aiohttp
        # hands them over.
        (("Content-Type", "text/html"), ("X-Note", 'суд; name="дело"'), ("X-Raw", "a\udcff")),
        None,
    ),
    _exchange(
        "https://gvs.sudrf.ru/file.bin", bytes(range(256)) * 40, (("Content-Type", "x/bin"),), "77GV0017"
    ),
]


def _written(tmp_path: Path) -> tuple[Path, list[int]]:
    archive = WarcArchive(tmp_path, 7)
    offsets = [archive.write(exchange).offset for exchange in EXCHANGES]
    archive.close()
    return tmp_path / "run-7", offsets


def test_warcio_reads_every_record_with_its_digests_checked(tmp_path: Path) -> None:
    folder, _ = _written(tmp_path)
    kinds = []
    for path in sorted(folder.glob("*.warc.gz")):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle, check_digests="raise"):
                record.content_stream().read()
                kinds.append(record.rec_type)
                assert record.rec_headers.get_header("WARC-Block-Digest", "").startswith("sha1:")
                assert record.rec_headers.get_header("WARC-Date") == "2024-04-12T09:30:01.250000Z"
    assert sorted(kinds) == ["request"] * 3 + ["response"] * 3


def test_responses_come_back_as_they_were_fetched(tmp_path: Path) -> None:
    folder, offsets = _written(tmp_path)
    read = {r.offset: r for path in sorted(folder.glob("*.warc.gz")) for r in iter_responses(path)}
    assert sorted(read) == sorted(offsets)
    first, hostile, binary = (read[offset] for offset in offsets)
    assert first.body == EXCHANGES[0].body and first.court_code == "77GV0017"
    assert first.content_type == "text/html; charset=windows-1251"
    assert ("Content-Encoding", "gzip") not in first.headers  # the body is kept decoded
    assert hostile.body == b"" and hostile.court_code is None
    # One header line: nothing forged (warcio's reader %-encodes the space in the URI).
    assert hostile.url.startswith("https://gvs.sudrf.ru/card?x=1%0D%0AWARC-Type")
    assert dict(hostile.headers)["X-Note"] == '%D1%81%D1%83%D0%B4; name="%D0%B4%D0%B5%D0%BB%D0%BE"'
    assert dict(hostile.headers)["X-Raw"] == "a%FF"
    assert binary.body == bytes(range(256)) * 40
    assert read_response(ArchiveRef(binary.file, binary.offset)).body == binary.body
