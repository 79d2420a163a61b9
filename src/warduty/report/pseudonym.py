"""Stable pseudonyms for defendants: a keyed hash of court, case number and position, never of the name."""

from __future__ import annotations

import base64
import hashlib
import hmac

DEFAULT_KEY = b"warduty-pseudonym-v1"


def pseudonym(court_code: str, case_number: str, position: int, *, key: bytes = DEFAULT_KEY) -> str:
    """``D-`` and ten base-32 characters; the same inputs and key always give the same pseudonym."""
    message = f"{court_code}\x1f{case_number}\x1f{position}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return "D-" + base64.b32encode(digest).decode("ascii")[:10]
