"""Conversations in Redis (`REDIS_URL`): any replica continues any conversation.

The same contract as `ConversationStore`: ids made by the server, an unknown id
starts a new conversation, bounded in count (`SESSION_MAX`, least recently
written dropped first) and idle age (`SESSION_TTL_SECONDS`, a Redis expiry).
While Redis is down the in-memory store stands in.
"""

from __future__ import annotations

import json
import secrets
import time

from redis.exceptions import WatchError

from app.api.redis_link import KEY_PREFIX, RedisLink
from app.api.sessions import ConversationStore
from app.schemas import Turn

SESSION_KEY = KEY_PREFIX + "session:"
RECENT_KEY = KEY_PREFIX + "sessions"  # sorted set: session id → last write time


class RedisConversationStore:
    def __init__(self, link: RedisLink, max_sessions: int, ttl_seconds: float, turns_kept: int) -> None:
        self.link = link
        self.max_sessions = max_sessions
        self.ttl_seconds = int(ttl_seconds)
        self.turns_kept = turns_kept
        self._fallback = ConversationStore(max_sessions, ttl_seconds, turns_kept)

    def open(self, session_id: str | None) -> tuple[str, list[Turn]]:
        """The session id to answer under and its earlier turns."""
        if session_id is None:
            return secrets.token_urlsafe(16), []
        stored = self.link.run(lambda r: r.get(SESSION_KEY + session_id), lambda: None)
        if stored is None:
            return self._fallback.open(session_id)
        return session_id, [Turn.model_validate(t) for t in json.loads(stored)]

    def record(self, session_id: str, turn: Turn) -> None:
        """Add a finished turn (read-modify-write in one transaction); writing restarts the idle clock."""

        def write(r) -> None:
            key = SESSION_KEY + session_id
            with r.pipeline() as pipe:
                while True:
                    try:
                        pipe.watch(key)
                        earlier = json.loads(pipe.get(key) or "[]")
                        turns = [*earlier, turn.model_dump(mode="json")][-self.turns_kept :]
                        now = time.time()
                        pipe.multi()
                        pipe.set(key, json.dumps(turns, ensure_ascii=False), ex=self.ttl_seconds)
                        pipe.zadd(RECENT_KEY, {session_id: now})
                        pipe.zremrangebyscore(RECENT_KEY, "-inf", now - self.ttl_seconds)
                        pipe.execute()
                        break
                    except WatchError:  # another replica wrote this session meanwhile: read again
                        continue
            self._drop_beyond_max(r)

        self.link.run(write, lambda: self._fallback.record(session_id, turn))

    def _drop_beyond_max(self, r) -> None:
        excess = r.zcard(RECENT_KEY) - self.max_sessions
        if excess > 0:
            oldest = [member for member, _ in r.zpopmin(RECENT_KEY, excess)]
            r.delete(*[SESSION_KEY + (m.decode() if isinstance(m, bytes) else m) for m in oldest])

    def __len__(self) -> int:
        return self.link.run(
            lambda r: int(r.zcount(RECENT_KEY, time.time() - self.ttl_seconds, "+inf")), lambda: len(self._fallback)
        )
