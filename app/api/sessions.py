"""Conversations of the chat API, kept in memory: bounded in count (`SESSION_MAX`) and idle age (`SESSION_TTL_SECONDS`).

Session ids are made by the server (random, unguessable). An id the server does not
know (forgotten, or made up) starts a new conversation under a new id, so a client
can never choose an id and read someone else's conversation.
"""

from __future__ import annotations

import secrets
import threading

from cachetools import TTLCache

from app.schemas import Turn

class ConversationStore:
    def __init__(self, max_sessions: int, ttl_seconds: float, turns_kept: int) -> None:
        """`turns_kept`: the setting CONVERSATION_TURNS (earlier turns beyond it are never read)."""
        self.turns_kept = turns_kept
        # TTLCache drops the least recently used beyond max_sessions and any entry not written for ttl_seconds
        self._cache: TTLCache[str, tuple[Turn, ...]] = TTLCache(maxsize=max_sessions, ttl=ttl_seconds)
        self._lock = threading.Lock()

    def open(self, session_id: str | None) -> tuple[str, list[Turn]]:
        """The session id to answer under and its earlier turns."""
        with self._lock:
            if session_id is not None and session_id in self._cache:
                return session_id, list(self._cache[session_id])
        return secrets.token_urlsafe(16), []

    def record(self, session_id: str, turn: Turn) -> None:
        """Add a finished turn; writing also restarts the session's idle clock."""
        with self._lock:
            history = self._cache.get(session_id, ())
            self._cache[session_id] = (*history, turn)[-self.turns_kept :]

    def __len__(self) -> int:
        with self._lock:
            return len(self._cache)
