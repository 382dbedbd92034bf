"""Where the API keeps conversations, answers open to rating and rate limits: this process, or Redis.

Without `REDIS_URL` everything stays on this machine (conversations in the data home's
SQLite store by default, so a restart keeps them; see SESSION_STORE). With it, every
replica behind the load balancer shares them (see `redis_link.py` for faults).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.api.issued_answers import IssuedAnswers
from app.api.rate_limiter import ChatRateLimiter
from app.api.redis_answers import RedisIssuedAnswers
from app.api.redis_link import RedisLink
from app.api.redis_sessions import RedisConversationStore
from app.api.session_store import session_backend
from app.api.sessions import ConversationStore
from policy_core.settings import Settings


@dataclass
class SharedState:
    conversations: ConversationStore | RedisConversationStore
    answers: IssuedAnswers | RedisIssuedAnswers
    redis: RedisLink | None

    def limiter(self, per_minute: int, name: str) -> ChatRateLimiter:
        return ChatRateLimiter(per_minute, name=name, shared=self.redis)


def shared_state(settings: Settings) -> SharedState:
    if not settings.redis_url:
        conversations = ConversationStore(
            settings.session_max, settings.session_ttl_seconds, settings.conversation_turns, session_backend(settings)
        )
        return SharedState(conversations, IssuedAnswers(), None)
    link = RedisLink(settings.redis_url)
    conversations = RedisConversationStore(link, settings.session_max, settings.session_ttl_seconds, settings.conversation_turns)
    return SharedState(conversations, RedisIssuedAnswers(link), link)
