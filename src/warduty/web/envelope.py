"""One JSON envelope for data and errors, and CSV for every list."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from starlette.responses import Response

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ApiError(Exception):
    """An error a client may see: a status and a message that reveals nothing internal."""

    def __init__(self, status: int, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after  # seconds, for a 429 or 503: in the body and the header


def _default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class JsonResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=_default, separators=(",", ":")).encode()


def ok(
    data: object, *, next_cursor: str | None = None, meta: Mapping[str, object] | None = None
) -> JsonResponse:
    body: dict[str, object] = {"ok": True, "data": data}
    if next_cursor is not None or isinstance(data, list):
        body["next"] = next_cursor
    if meta:
        body["meta"] = dict(meta)
    return JsonResponse(body)


def error(
    status: int, message: str, headers: Mapping[str, str] | None = None, *, retry_after: int | None = None
) -> JsonResponse:
    body: dict[str, object] = {"status": status, "message": message}
    if retry_after is not None:
        body["retry_after"] = retry_after
        headers = {**(headers or {}), "retry-after": str(retry_after)}
    return JsonResponse({"ok": False, "error": body}, status_code=status, headers=headers)


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        text = ";".join(csv_cell(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, default=_default)
    else:
        text = str(value)
    # A spreadsheet would run a cell that starts like a formula.
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_response(
    rows: Sequence[Mapping[str, object]], columns: Sequence[str], next_cursor: str | None = None
) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    headers = {"x-next-cursor": next_cursor} if next_cursor else None
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
