"""Stable pseudonyms for defendants, and redaction of their names from text.

A pseudonym is a keyed hash of (court, case number, position) under a server secret: the same person
gets the same pseudonym on every page and in every API answer, and nobody without the secret can go
from a pseudonym back to a name by hashing guesses.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

SECRET_FILE = "web-secret"
_MIN_NAME_LENGTH = 3
_GAP = r"(?:\s|&nbsp;|\xa0)+"


class RedactionError(RuntimeError):
    """A name could still be found in a text after redaction; the text must not be shown."""


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


def name_variants(name: str) -> list[str]:
    """The forms in which a court page may print a full name: full, and surname with initials."""
    parts = name.split()
    variants = {name.strip()}
    if len(parts) >= 2:
        initials = "".join(f"{p[0]}." for p in parts[1:])
        spaced = " ".join(f"{p[0]}." for p in parts[1:])
        variants |= {f"{parts[0]} {initials}", f"{parts[0]} {spaced}", f"{initials} {parts[0]}"}
    return sorted((v for v in variants if len(v) >= _MIN_NAME_LENGTH), key=len, reverse=True)


def redact(text: str, replacements: Mapping[str, str]) -> str:
    """Replace every printed form of each name with its pseudonym; raise if any name is still there."""
    pairs = [(variant, alias) for name, alias in replacements.items() for variant in name_variants(name)]
    pairs.sort(key=lambda pair: len(pair[0]), reverse=True)
    for variant, alias in pairs:
        # Pages separate words with runs of spaces or &nbsp; as often as with one space.
        pattern = _GAP.join(re.escape(word) for word in variant.split())
        text = re.compile(pattern, re.IGNORECASE).sub(alias.replace("\\", "\\\\"), text)
    leftover = find_names(text, replacements)
    if leftover:
        raise RedactionError(f"{len(leftover)} name(s) survived redaction")
    return text


def find_names(text: str, names: Iterable[str]) -> list[str]:
    lowered = " ".join(text.replace("&nbsp;", " ").lower().split())
    return [n for n in names if n.strip() and " ".join(n.lower().split()) in lowered]
