"""Damaged archive files. A killed run may leave the last gzip member of a file half written; the resumed
run cuts it off before appending, so the file reads from start to end again. Damage further in is left for
the reader to report (cutting there would throw whole records away); a reader that asks to (``reparse``)
is told of it and reads on at the next whole record."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from warduty.courts import load_registry
from warduty.crawl.archive import (
    ArchiveError,
    WarcArchive,
    cut_partial_member,
    iter_responses,
    iter_run,
    read_response,
)
from warduty.crawl.client import ArchiveRef, Exchange
from warduty.crawl.reparse import reparse
from warduty.jobs import prepare_store
from warduty.store import make_engine

WHEN = datetime(2024, 4, 12, 9, 30, 1, tzinfo=UTC)


def _exchange(n: int) -> Exchange:
    body = f"<html><body>Карточка дела {n}</body></html>".encode("cp1251") * 40
    headers = (("Content-Type", "text/html; charset=windows-1251"),)
    return Exchange(
        f"https://gvs.sudrf.ru/card?n={n}", (("Host", "gvs.sudrf.ru"),), 200, headers, body, WHEN, "C1"
    )


def _write(root: Path, numbers: range) -> list[ArchiveRef]:
    archive = WarcArchive(root, 3)
    try:
        return [archive.write(_exchange(n)) for n in numbers]
    finally:
        archive.close()


def _urls(root: Path) -> list[str]:
    return [response.url.rsplit("=", 1)[1] for response in iter_run(root / "run-3")]


def test_a_member_cut_anywhere_is_cut_off_before_the_next_append(tmp_path: Path) -> None:
    whole = _write(tmp_path / "whole", range(3))
    path = tmp_path / "whole" / "run-3" / "C1.warc.gz"
    data = path.read_bytes()
    last_start = whole[-1].offset  # the last response record's member runs to the end of the file
    for keep in [last_start + 1, last_start + 9, (last_start + len(data)) // 2, len(data) - 1]:
        root = tmp_path / f"cut-{keep}"
        (root / "run-3").mkdir(parents=True)
        (root / "run-3" / "C1.warc.gz").write_bytes(data[:keep])
        later = _write(root, range(3, 5))  # the resumed run
        assert (root / "run-3" / "C1.warc.gz").read_bytes()[:last_start] == data[
            :last_start
        ]  # kept as it was
        assert later[0].offset > last_start  # the new records follow the last whole member
        assert _urls(root) == ["0", "1", "3", "4"]  # the cut page is fetched again by the resumed run
        assert [read_response(ref).url for ref in later] == [_exchange(n).url for n in (3, 4)]


def test_a_whole_file_and_a_missing_one_are_left_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(tmp_path, range(2))
    path = tmp_path / "run-3" / "C1.warc.gz"
    size = path.stat().st_size
    with caplog.at_level(logging.WARNING):
        assert cut_partial_member(path) == 0
        assert cut_partial_member(tmp_path / "run-3" / "absent.warc.gz") == 0
        path.with_name("empty.warc.gz").write_bytes(b"")
        assert cut_partial_member(path.with_name("empty.warc.gz")) == 0
    assert path.stat().st_size == size and not caplog.records
    _write(tmp_path, range(2, 4))
    assert _urls(tmp_path) == ["0", "1", "2", "3"]


def test_a_cut_is_logged_with_the_bytes_it_removed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _write(tmp_path, range(2))
    path = tmp_path / "run-3" / "C1.warc.gz"
    path.write_bytes(path.read_bytes()[:-20])
    with caplog.at_level(logging.WARNING):
        cut = cut_partial_member(path)
    assert cut > 20 and f"{cut} bytes cut off" in caplog.text and str(path) in caplog.text


@pytest.mark.parametrize("garbage", [b"not gzip at all", b"\x1f\x8b\x08" + b"\x00" * 40, bytes(range(256))])
def test_damage_inside_the_file_is_not_cut_and_the_reader_names_it(tmp_path: Path, garbage: bytes) -> None:
    refs = _write(tmp_path, range(3))
    path = tmp_path / "run-3" / "C1.warc.gz"
    data = path.read_bytes()
    damaged = data[: refs[1].offset] + garbage + data[refs[1].offset :]
    path.write_bytes(damaged)
    assert cut_partial_member(path) == 0 and path.read_bytes() == damaged
    with pytest.raises(ArchiveError, match="damaged"):
        _urls(tmp_path)


def _damaged_copy(tmp_path: Path, spoil: str) -> tuple[Path, list[ArchiveRef]]:
    refs = _write(tmp_path, range(4))
    path = tmp_path / "run-3" / "C1.warc.gz"
    data = path.read_bytes()
    middle = refs[1].offset  # the second response record's member
    if spoil == "garbage between members":
        data = data[:middle] + b"\x00garbage\x1f\x8b\x08 not a member" + data[middle:]
    elif spoil == "bytes flipped inside a member":
        data = (
            data[: middle + 40]
            + bytes(b ^ 0xFF for b in data[middle + 40 : middle + 60])
            + data[middle + 60 :]
        )
    else:  # garbage after the last member
        data += b"trailing bytes that are no gzip"
    path.write_bytes(data)
    return path, refs


@pytest.mark.parametrize(
    ("spoil", "lost"),
    [("garbage between members", []), ("bytes flipped inside a member", ["1"]), ("garbage at the end", [])],
)
def test_a_reader_told_of_damage_reads_on_at_the_next_whole_record(
    tmp_path: Path, spoil: str, lost: list[str]
) -> None:
    path, _ = _damaged_copy(tmp_path, spoil)
    errors: list[ArchiveError] = []
    read = [response.url.rsplit("=", 1)[1] for response in iter_responses(path, errors.append)]
    assert read == [n for n in ["0", "1", "2", "3"] if n not in lost]
    assert len(errors) == 1 and str(path) in str(errors[0]) and "damaged" in str(errors[0])
    with pytest.raises(ArchiveError, match="damaged"):  # a reader that does not ask is stopped, as before
        list(iter_responses(path))


def test_reparse_counts_a_damaged_stretch_and_replays_the_records_after_it(tmp_path: Path) -> None:
    _damaged_copy(tmp_path / "archive", "garbage between members")
    engine = make_engine(f"sqlite:///{tmp_path / 'rebuilt.sqlite'}")
    prepare_store(engine, load_registry())
    report = reparse(engine, load_registry(), tmp_path / "archive")
    # The four responses are read (their court code is unknown to the registry, so none is stored).
    assert report.responses == 4 and report.skipped == {"damaged archive": 1, "unknown court": 4}


def test_the_damage_is_named_in_one_printable_line(tmp_path: Path) -> None:
    path, _ = _damaged_copy(tmp_path, "garbage between members")
    errors: list[ArchiveError] = []
    list(iter_responses(path, errors.append))
    (message,) = (str(error) for error in errors)
    assert message.isprintable() and len(message) < len(str(path)) + 220 and "damaged at byte" in message
