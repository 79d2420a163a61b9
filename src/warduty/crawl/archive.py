"""WARC archive of every response the crawler receives (request and response records, gzip).

One file per run and court: ``<root>/run-<id>/<court>.warc.gz``. Each record is its own gzip member, so a
killed run leaves a readable file and a resumed run appends to it; a member the kill cut short is cut off
before the first append (no stored row can point into it: a page's rows are written after its record).
Stored rows point at (file, offset of the response record), and ``warduty reparse`` reads the archive back
without the network.

The file is recorded relative to the data directory (``archive/run-3/77GV0017.warc.gz``), so the web and
``reparse`` find it from any working directory; :func:`locate` still finds the absolute or
working-directory-relative paths that older rows hold.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import uuid
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from isal import igzip, isal_zlib
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

from warduty.crawl.client import ArchiveRef, Exchange

# The client hands us decoded bodies, so headers describing the transfer would no longer be true.
_DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
COURT_HEADER = "WARC-Warduty-Court"
log = logging.getLogger(__name__)


class ArchiveError(RuntimeError):
    """An archive file is unreadable or a record is not where a row says it is; ``at``: where in the file
    the damage begins, when known."""

    def __init__(self, message: str, *, at: int | None = None) -> None:
        super().__init__(message)
        self.at = at


@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: str  # WARC-Date as written
    court_code: str | None
    file: str
    offset: int

    @property
    def content_type(self) -> str | None:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return None


class WarcArchive:
    """Writes exchanges of one run into per-court WARC files."""

    def __init__(self, root: Path, run_id: int, *, relative_to: Path | None = None) -> None:
        self.folder = root / f"run-{run_id}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.relative_to = relative_to  # the data directory the recorded paths are relative to
        # file name (court code) -> (open file, path as rows record it)
        self._files: dict[str, tuple[BinaryIO, str]] = {}

    def __call__(self, exchange: Exchange) -> ArchiveRef:
        return self.write(exchange)

    def path_for(self, court_code: str | None) -> Path:
        return self.folder / f"{_file_name(court_code)}.warc.gz"

    def write(self, exchange: Exchange) -> ArchiveRef:
        name = _file_name(exchange.court_code)
        opened = self._files.get(name)
        if opened is None:
            path = self.path_for(exchange.court_code)
            cut_partial_member(path)
            opened = path.open("ab"), stored_path(path, self.relative_to)
            self._files[name] = opened
        handle, stored = opened
        date = _warc_date(exchange.fetched_at)
        request = StatusAndHeaders(
            f"GET {_path_of(exchange.url)} HTTP/1.1", list(exchange.request_headers), is_http_request=True
        )
        headers = [(k, v) for k, v in exchange.response_headers if k.lower() not in _DROPPED_HEADERS]
        headers.append(("Content-Length", str(len(exchange.body))))
        response = StatusAndHeaders(f"{exchange.status} {_reason(exchange.status)}", headers, "HTTP/1.1")
        handle.write(_gzip(_record("request", exchange, date, _http_head(request))))
        offset = handle.tell()
        handle.write(_gzip(_record("response", exchange, date, _http_head(response), exchange.body)))
        handle.flush()
        return ArchiveRef(file=stored, offset=offset)

    def close(self) -> None:
        for handle, _ in self._files.values():
            handle.close()
        self._files.clear()


def _file_name(court_code: str | None) -> str:
    return court_code or "other"


def cut_partial_member(path: Path) -> int:
    """Cut off the gzip member a killed run left half written at the end of ``path``; returns the bytes cut.

    Appending after such a member would leave every later record unreadable to anyone reading the file
    from the start (``reparse``, ``iter_run``). Only a member that runs into the end of the file is cut:
    damage further in (bytes that are no gzip) is left alone for the reader to report, as cutting there
    would throw whole records away."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    end = _complete_members_end(path) if size else 0
    if end is None or end == size:
        return 0
    with path.open("r+b") as handle:
        handle.truncate(end)
    log.warning("%s ended in a record cut short (a killed run); %d bytes cut off", path, size - end)
    return size - end


def _complete_members_end(path: Path) -> int | None:
    """Where the last whole gzip member of ``path`` ends, or None when the file holds bytes that are no gzip
    (damage, not a write cut short)."""
    complete = 0  # the end of the last whole member
    fed = 0  # bytes handed to the decompressor, up to the start of ``data``
    decompressor = zlib.decompressobj(wbits=_GZIP_WBITS)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            data = chunk
            while data:
                try:
                    decompressor.decompress(data, _OUTPUT_CAP)  # the output is not needed, only the end
                    while decompressor.unconsumed_tail and not decompressor.eof:
                        decompressor.decompress(decompressor.unconsumed_tail, _OUTPUT_CAP)
                except zlib.error:
                    return None
                if not decompressor.eof:
                    fed += len(data)
                    break
                rest = decompressor.unused_data
                fed += len(data) - len(rest)
                complete = fed
                data = rest
                decompressor = zlib.decompressobj(wbits=_GZIP_WBITS)
    return complete


_GZIP_WBITS = 16 + 15  # a gzip header and trailer around a deflate stream
_OUTPUT_CAP = 1 << 20  # bytes of output per call, so a large member is never inflated into memory at once


def _record(
    kind: str, exchange: Exchange, date: str, http_head: bytes, payload: bytes | None = None
) -> bytes:
    """One WARC/1.0 record (request or response) with its digests.

    The HTTP head is encoded by warcio (``StatusAndHeaders``, which %-encodes what is not ASCII); the
    record's own few header lines are written here. warcio's record writer cost four times as much CPU, a
    seventh of the crawler's work beside its parsers (docs/benchmarks.md); warcio still reads every
    record back (tests check its digests).
    """
    block = hashlib.sha1(http_head)
    fields = [
        ("WARC-Type", kind),
        ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid4()}>"),
        ("WARC-Date", date),
        ("WARC-Target-URI", exchange.url),
    ]
    if exchange.court_code:
        fields.append((COURT_HEADER, exchange.court_code))
    if payload is not None:  # a response: its body's own digest too
        fields.append(("WARC-Payload-Digest", _sha1_label(hashlib.sha1(payload))))
        block.update(payload)
    body = payload or b""
    fields += [
        ("WARC-Block-Digest", _sha1_label(block)),
        ("Content-Type", f"application/http; msgtype={kind}"),
        ("Content-Length", str(len(http_head) + len(body))),
    ]
    head = "WARC/1.0\r\n" + "".join(f"{name}: {_one_line(value)}\r\n" for name, value in fields) + "\r\n"
    return b"".join((head.encode("utf-8"), http_head, body, b"\r\n\r\n"))


def _http_head(head: StatusAndHeaders) -> bytes:
    """The HTTP status line and headers as ASCII: warcio's encoding (RFC 8187 for parameters), or where it
    fails (a value with non-ASCII text beside a parameter, undecodable bytes) every non-ASCII byte %-encoded:
    a hostile header must not stop the archive, and with it the crawl."""
    try:
        return bytes(head.to_ascii_bytes())
    except UnicodeError:
        head.headers = [
            (name, value if value.isascii() else quote(value, safe=_PRINTABLE, errors="surrogateescape"))
            for name, value in head.headers
        ]
        return bytes(head.to_ascii_bytes())


_PRINTABLE = "".join(chr(code) for code in range(0x20, 0x7F) if chr(code) != "%")


def _one_line(value: str) -> str:
    """A header value that cannot end its line early (a URL from a hostile page may hold a line break)."""
    return value.replace("\r", "%0D").replace("\n", "%0A")


def _sha1_label(digest: Any) -> str:
    return "sha1:" + base64.b32encode(digest.digest()).decode("ascii")


def stored_path(path: Path, data_dir: Path | None) -> str:
    """How a row records an archive file: relative to ``data_dir`` when inside it, else absolute."""
    if data_dir is None:
        return str(path)
    resolved = path.resolve()
    try:
        return resolved.relative_to(data_dir.resolve()).as_posix()
    except ValueError:
        return str(resolved)


def locate(stored: str, data_dir: Path, *, inside: bool = False, also: Sequence[Path] = ()) -> Path | None:
    """The archive file a row names, or None. Tried in turn: relative to ``data_dir`` and to each folder
    of ``also`` (how rows are written now: the web adds the SQLite database's folder, which is the crawl's
    data directory in the demo's layout); as stored (older rows: absolute, or relative to the crawl's
    working directory); the same run folder and file under ``<folder>/archive`` (an older row written
    from another working directory). With ``inside``, only files inside those folders count (the web
    serves nothing else)."""
    path = Path(stored)
    folders = [data_dir, *also]
    candidates = [path] if path.is_absolute() else [*(folder / path for folder in folders), path]
    if len(path.parts) >= 2 and path.parts[-2].startswith("run-"):
        candidates += [folder / "archive" / path.parts[-2] / path.parts[-1] for folder in folders]
    roots = [folder.resolve() for folder in folders]
    for candidate in candidates:
        resolved = candidate.resolve()
        if inside and not any(resolved.is_relative_to(root) for root in roots):
            continue
        if resolved.is_file():
            return resolved
    return None


def _gzip(record: bytes) -> bytes:
    """A record as its own gzip member, compressed by ISA-L (a plain gzip member any reader takes): on
    court pages it takes a sixth of zlib's level-4 CPU for 6 % more bytes (docs/benchmarks.md)."""
    return igzip.compress(record, compresslevel=isal_zlib.ISAL_DEFAULT_COMPRESSION)


def _warc_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _path_of(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _to_response(record: Any, body: bytes, file: str, offset: int) -> ArchivedResponse:
    headers = record.http_headers
    warc = record.rec_headers
    # The writer always records Content-Length, so a missing or different one means a cut record.
    declared = headers.get_header("Content-Length") if headers is not None else None
    if declared is None or not declared.isdigit() or int(declared) != len(body):
        raise ArchiveError(f"{file} is damaged: record at {offset} holds {len(body)} of {declared} bytes")
    return ArchivedResponse(
        url=warc.get_header("WARC-Target-URI"),
        status=int(headers.get_statuscode()),
        headers=tuple(headers.headers),
        body=body,
        fetched_at=warc.get_header("WARC-Date"),
        court_code=warc.get_header(COURT_HEADER),
        file=file,
        offset=offset,
    )


def iter_responses(
    path: Path, on_damage: Callable[[ArchiveError], None] | None = None
) -> Iterator[ArchivedResponse]:
    """Response records of one WARC file, in the order they were written.

    A damaged stretch (bytes that are no gzip, a record cut short) raises :class:`ArchiveError`; with
    ``on_damage``, it is reported there instead and reading goes on at the next whole record after it,
    so one bad spot does not hide the rest of the file (``reparse`` reads so)."""
    start, last = 0, -1  # where this pass reads from; the offset of the last response handed out
    while True:
        try:
            for response in _responses_from(path, start):
                if response.offset > last:  # a pass after damage may read records already handed out
                    last = response.offset
                    yield response
            return
        except ArchiveError as error:
            if on_damage is None or error.at is None:
                raise
            on_damage(error)
            found = _next_record(path, after=max(start, last, error.at))
            if found is None:
                return
            start = found


def _responses_from(path: Path, start: int, *, first_only: bool = False) -> Iterator[ArchivedResponse]:
    """Responses from byte ``start`` (a record's start) on; ``first_only``: check the first record only."""
    records = 0
    reached = start  # where the record being read begins
    try:
        with path.open("rb") as handle:
            handle.seek(start)
            iterator = ArchiveIterator(handle)
            for record in iterator:
                records += 1
                # Read the body before asking for the offset: warcio's offset call consumes the stream.
                body = record.content_stream().read()
                reached = iterator.get_record_offset()
                if first_only and reached != start:  # warcio skipped bytes to find one: none starts there
                    raise ArchiveError(f"no record starts at {path}:{start}", at=start)
                if record.rec_type == "response":
                    yield _to_response(record, body, str(path), reached)
                if first_only:
                    return
                reached += iterator.get_record_length()
    except OSError as exc:
        raise ArchiveError(f"cannot read {path}: {exc}") from exc
    except ArchiveError as exc:
        if exc.at is None:  # a record cut short (``_to_response``): the damage begins at that record
            exc.at = reached
        raise
    except Exception as exc:  # warcio raises plain exceptions on damaged files
        message = f"{path} is damaged at byte {reached}, after {records} record(s): {_printable(exc)}"
        raise ArchiveError(message, at=reached) from exc
    if start == 0 and records == 0 and path.stat().st_size > 0:
        raise ArchiveError(f"{path} holds no WARC record")


def _printable(error: Exception, limit: int = 120) -> str:
    """An error's text fit for a log line: warcio quotes the damaged bytes it met, which are binary."""
    text = "".join(ch if ch.isprintable() else "?" for ch in " ".join(str(error).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _next_record(path: Path, after: int) -> int | None:
    """The offset of the first gzip member past ``after`` that holds a whole WARC record, or None."""
    data = path.read_bytes()
    at = data.find(_GZIP_MAGIC, after + 1)
    while at != -1:
        try:
            for _ in _responses_from(path, at, first_only=True):
                pass
            return at
        except ArchiveError:  # not a member's start (the magic bytes inside compressed data), or damaged too
            at = data.find(_GZIP_MAGIC, at + 1)
    return None


_GZIP_MAGIC = b"\x1f\x8b\x08"  # a gzip member's first bytes: ID1, ID2 and the deflate method


def read_response(ref: ArchiveRef, data_dir: Path | None = None) -> ArchivedResponse:
    """The response record a stored row points at (its file found with :func:`locate` when
    ``data_dir`` is given). ``ArchiveError`` when the file cannot be read or no response record starts
    at the offset (one inside a gzip member, past the end, negative)."""
    if data_dir is not None:
        found = locate(ref.file, data_dir)
        if found is None:
            raise ArchiveError(f"no archive file {ref.file} in {data_dir}")
        ref = ArchiveRef(str(found), ref.offset)
    if ref.offset < 0:
        raise ArchiveError(f"no response record at {ref.file}:{ref.offset}")
    try:
        with open(ref.file, "rb") as handle:
            handle.seek(ref.offset)
            for record in ArchiveIterator(handle):
                if record.rec_type != "response":
                    break
                return _to_response(record, record.content_stream().read(), ref.file, ref.offset)
    except OSError as exc:
        raise ArchiveError(f"cannot read {ref.file}: {exc}") from exc
    except ArchiveError:
        raise
    except Exception as exc:  # warcio and zlib raise plain exceptions where no record starts
        raise ArchiveError(f"no response record at {ref.file}:{ref.offset}: {exc}") from exc
    raise ArchiveError(f"no response record at {ref.file}:{ref.offset}")


def iter_run(
    folder: Path, on_damage: Callable[[ArchiveError], None] | None = None
) -> Iterator[ArchivedResponse]:
    """Every response of a run folder, file by file (court by court), in write order; ``on_damage`` as in
    :func:`iter_responses`."""
    for path in sorted(folder.glob("*.warc.gz")):
        yield from iter_responses(path, on_damage)
