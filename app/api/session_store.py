"""Where the chat API keeps conversations: the interface, and the backends that implement it.

A conversation must outlive the process that started it (a restart, a deploy,
another replica answering the next message), so the default keeps it in a
SQLite file in the data home. `memory` keeps the old in-process behaviour.
A shared backend (e.g. Redis) implements the same three methods and is chosen
in `session_backend`.

Bounds are the same for every backend: at most `max_sessions` conversations
(the least recently written go first) and none idle longer than `ttl_seconds`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Protocol

from cachetools import TTLCache

from app.schemas import Turn
from policy_core.settings import Settings

SESSIONS_FILE = "sessions.sqlite3"


class SessionStore(Protocol):
    def load(self, session_id: str) -> list[Turn] | None:
        """The conversation's turns, or None when the store does not know the id (never made, expired, pruned)."""

    def save(self, session_id: str, turns: list[Turn]) -> None:
        """Replace the conversation's turns; writing restarts its idle clock."""

    def count(self) -> int:
        """Conversations currently kept."""


class MemorySessionStore:
    """In this process only: lost on restart and not shared between replicas."""

    def __init__(self, max_sessions: int, ttl_seconds: float) -> None:
        # TTLCache drops the least recently used beyond max_sessions and any entry not written for ttl_seconds
        self._cache: TTLCache[str, tuple[Turn, ...]] = TTLCache(maxsize=max_sessions, ttl=ttl_seconds)
        self._lock = threading.Lock()

    def load(self, session_id: str) -> list[Turn] | None:
        with self._lock:
            turns = self._cache.get(session_id)
        return None if turns is None else list(turns)

    def save(self, session_id: str, turns: list[Turn]) -> None:
        with self._lock:
            self._cache[session_id] = tuple(turns)

    def count(self) -> int:
        with self._lock:
            return len(self._cache)


class SqliteSessionStore:
    """A SQLite file (WAL mode): survives restarts, and processes on one machine share it."""

    def __init__(self, path: Path, max_sessions: int, ttl_seconds: float) -> None:
        self.path, self.max_sessions, self.ttl_seconds = path, max_sessions, ttl_seconds
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, turns TEXT NOT NULL, written REAL NOT NULL)")
            db.execute("CREATE INDEX IF NOT EXISTS sessions_written ON sessions (written)")

    def _connect(self) -> sqlite3.Connection:
        # one short-lived connection per call: safe from any thread of the threadpool
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    def _oldest_kept(self) -> float:
        return time.time() - self.ttl_seconds

    def load(self, session_id: str) -> list[Turn] | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT turns FROM sessions WHERE id = ? AND written > ?", (session_id, self._oldest_kept())
            ).fetchone()
        if row is None:
            return None
        return [Turn.model_validate(t) for t in json.loads(row[0])]

    def save(self, session_id: str, turns: list[Turn]) -> None:
        data = json.dumps([t.model_dump() for t in turns], ensure_ascii=False)
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO sessions (id, turns, written) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET turns = excluded.turns, written = excluded.written",
                (session_id, data, time.time()),
            )
            db.execute("DELETE FROM sessions WHERE written <= ?", (self._oldest_kept(),))
            db.execute(
                "DELETE FROM sessions WHERE id NOT IN (SELECT id FROM sessions ORDER BY written DESC LIMIT ?)",
                (self.max_sessions,),
            )
            db.execute("COMMIT")

    def count(self) -> int:
        with self._connect() as db:
            return db.execute("SELECT COUNT(*) FROM sessions WHERE written > ?", (self._oldest_kept(),)).fetchone()[0]


def session_backend(settings: Settings) -> SessionStore:
    """The store named by the setting SESSION_STORE."""
    if settings.session_store == "memory":
        return MemorySessionStore(settings.session_max, settings.session_ttl_seconds)
    return SqliteSessionStore(settings.advisor_home / SESSIONS_FILE, settings.session_max, settings.session_ttl_seconds)
