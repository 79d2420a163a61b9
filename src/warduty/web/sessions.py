"""Admin sessions: a random id in a cookie, kept server-side in memory, that expires and can be ended.

A session ends ``lifetime`` seconds after sign-in, after ``idle`` seconds without a request, at logout,
or when the server restarts (the store is in memory; signing in again is the remedy). Each session has
its own CSRF token, which the admin forms carry in a hidden field.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_SESSIONS = 1_000  # beyond this the oldest go first: memory stays bounded whatever signs in


@dataclass
class Session:
    csrf: str
    created: float
    last_seen: float

    def csrf_matches(self, presented: str | None) -> bool:
        """Constant-time comparison with the token the session's forms carry."""
        return presented is not None and hmac.compare_digest(self.csrf.encode(), presented.encode())


def _key(session_id: str) -> str:
    # Looked up by a hash of the id, so neither the lookup's timing nor the store's memory holds the id.
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass
class SessionStore:
    lifetime: float  # seconds from sign-in
    idle: float  # seconds without a request
    clock: Callable[[], float] = time.monotonic
    _sessions: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self) -> tuple[str, Session]:
        """A new session and the id for its cookie."""
        session_id = secrets.token_urlsafe(32)
        now = self.clock()
        session = Session(csrf=secrets.token_urlsafe(32), created=now, last_seen=now)
        with self._lock:
            self._forget_expired(now)
            while len(self._sessions) >= MAX_SESSIONS:
                del self._sessions[next(iter(self._sessions))]
            self._sessions[_key(session_id)] = session
        return session_id, session

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id (its idle clock restarted), else None."""
        if not session_id:
            return None
        now = self.clock()
        with self._lock:
            key = _key(session_id)
            session = self._sessions.get(key)
            if session is None:
                return None
            if self._expired(session, now):
                del self._sessions[key]
                return None
            session.last_seen = now
            return session

    def end(self, session_id: str | None) -> None:
        if session_id:
            with self._lock:
                self._sessions.pop(_key(session_id), None)

    def __len__(self) -> int:
        return len(self._sessions)

    def _expired(self, session: Session, now: float) -> bool:
        return now - session.created >= self.lifetime or now - session.last_seen >= self.idle

    def _forget_expired(self, now: float) -> None:
        for key in [k for k, s in self._sessions.items() if self._expired(s, now)]:
            del self._sessions[key]
