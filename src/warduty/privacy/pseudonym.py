"""Defendants' pseudonyms: the one scheme every output uses (API, dashboard, archived pages, exports,
briefings), so one defendant has one name everywhere.

A pseudonym is ``D-`` and ten base-32 characters of an HMAC-SHA256 of (court, case number, position),
never of the name, under one secret: ``web_secret`` when it is set, else the one kept in
``<data_dir>/web-secret`` (created once, mode 0600). Without the secret nobody can go from a pseudonym
back to a name by hashing guesses; with the same secret the same defendant always gets the same
pseudonym. Fifty bits: a database of a million defendants is unlikely to give two the same one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from warduty.config import Settings

SECRET_FILE = "web-secret"
PREFIX = "D-"


@dataclass(frozen=True, slots=True)
class Pseudonymiser:
    secret: bytes

    @classmethod
    def of_data_dir(cls, data_dir: Path, configured: str = "") -> Pseudonymiser:
        """The pseudonymiser of a deployment: its configured secret, else its data directory's."""
        return cls(load_or_create_secret(data_dir, configured))

    def pseudonym(self, court_code: str, case_number: str, position: int) -> str:
        message = f"{court_code}\x1f{case_number}\x1f{position}".encode()
        digest = hmac.new(self.secret, message, hashlib.sha256).digest()
        return PREFIX + base64.b32encode(digest).decode("ascii")[:10]

    def sign(self, payload: bytes) -> bytes:
        """A short MAC under the same secret (the API's cursors)."""
        return hmac.new(self.secret, b"cursor\x1f" + payload, hashlib.sha256).digest()[:16]


def pseudonymiser(settings: Settings) -> Pseudonymiser:
    """The deployment's pseudonymiser (``web_secret``, else the data directory's secret)."""
    return Pseudonymiser.of_data_dir(settings.data_dir, settings.web_secret)


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
