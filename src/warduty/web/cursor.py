"""Opaque, signed pagination cursors bound to the filters they were issued for."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable


class CursorError(ValueError):
    """A cursor that was not issued by this server for these filters."""


_SIGNATURE = 16


def filters_digest(filters: dict[str, object]) -> str:
    canonical = json.dumps(filters, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def encode_cursor(last_id: int, filters: dict[str, object], sign: Callable[[bytes], bytes]) -> str:
    payload = json.dumps({"after": last_id, "f": filters_digest(filters)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(sign(payload) + payload).decode().rstrip("=")


def decode_cursor(cursor: str, filters: dict[str, object], sign: Callable[[bytes], bytes]) -> int:
    """The id to continue after; raises CursorError for anything forged, truncated or reused elsewhere."""
    if len(cursor) > 200:
        raise CursorError("cursor is too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError) as exc:
        raise CursorError("cursor is not valid") from exc
    signature, payload = raw[:_SIGNATURE], raw[_SIGNATURE:]
    if len(signature) != _SIGNATURE or not hmac.compare_digest(signature, sign(payload)):
        raise CursorError("cursor is not valid")
    try:
        data = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CursorError("cursor is not valid") from exc
    after = data.get("after") if isinstance(data, dict) else None
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise CursorError("cursor is not valid")
    if data.get("f") != filters_digest(filters):
        raise CursorError("cursor was issued for other filters")
    return after
