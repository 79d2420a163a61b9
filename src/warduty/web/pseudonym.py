"""Stable pseudonyms for defendants (their names are redacted by :mod:`warduty.privacy`).

A pseudonym is a keyed hash of (court, case number, position) under a server secret: the same person
gets the same pseudonym on every page and in every API answer, and nobody without the secret can go
from a pseudonym back to a name by hashing guesses.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

SECRET_FILE = "web-secret"


@dataclass(frozen=True, slots=True)
class Pseudonymiser:
    secret: bytes

    def pseudonym(self, court_code: str, case_number: str, position: int) -> str:
        message = f"{court_code}\x1f{case_number}\x1f{position}".encode()
        digest = hmac.new(self.secret, message, hashlib.sha256).hexdigest()
        return f"Defendant {digest[:6].upper()}"

    def sign(self, payload: bytes) -> bytes:
        return hmac.new(self.secret, b"cursor\x1f" + payload, hashlib.sha256).digest()[:16]


def load_or_create_secret(data_dir: Path, configured: str = "") -> bytes:
    """The configured secret, else one kept in ``<data_dir>/web-secret`` (created once, mode 0600)."""
    if configured:
        return configured.encode()
    path = data_dir / SECRET_FILE
    if path.exists():
        value = path.read_bytes().strip()
        if len(value) >= 32:
            return value
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32).encode()
    path.write_bytes(value)
    path.chmod(0o600)
    return value
