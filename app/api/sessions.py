"""Conversations of the chat API: bounded in count (`SESSION_MAX`) and idle age (`SESSION_TTL_SECONDS`),
kept by a `SessionStore` backend (app/api/session_store.py; in memory unless one is given).

Session ids are made by the server (random, unguessable). An id the server does not
know (forgotten, or made up) starts a new conversation under a new id, so a client
can never choose an id and read someone else's conversation.
"""

from __future__ import annotations

import secrets

from app.api.session_store import MemorySessionStore, SessionStore
from app.schemas import Turn


class ConversationStore:
    def __init__(self, max_sessions: int, ttl_seconds: float, turns_kept: int, backend: SessionStore | None = None) -> None:
        """`turns_kept`: the setting CONVERSATION_TURNS (earlier turns beyond it are never read)."""
        self.turns_kept = turns_kept
        self._backend = backend or MemorySessionStore(max_sessions, ttl_seconds)

    def open(self, session_id: str | None) -> tuple[str, list[Turn]]:
        """The session id to answer under and its earlier turns."""
        if session_id is not None:
            turns = self._backend.load(session_id)
            if turns is not None:
                return session_id, turns
        return secrets.token_urlsafe(16), []

    def record(self, session_id: str, turn: Turn) -> None:
        """Add a finished turn; writing also restarts the session's idle clock."""
        history = self._backend.load(session_id) or []
        self._backend.save(session_id, [*history, turn][-self.turns_kept :])

    def __len__(self) -> int:
        return self._backend.count()
