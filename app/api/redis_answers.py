"""Answers open to rating, in Redis (`REDIS_URL`): a 👍/👎 may reach another replica than the answer came from.

Same contract as `IssuedAnswers` (random ids, kept a day); a Redis expiry
bounds the age. While Redis is down the in-memory store stands in.
"""

from __future__ import annotations

import uuid

from app.api.issued_answers import RATEABLE_FOR_S, IssuedAnswers
from app.api.redis_link import KEY_PREFIX, RedisLink
from app.schemas import AnswerResult

ANSWER_KEY = KEY_PREFIX + "answer:"


class RedisIssuedAnswers:
    def __init__(self, link: RedisLink, ttl_seconds: int = RATEABLE_FOR_S) -> None:
        self.link = link
        self.ttl_seconds = ttl_seconds
        self._fallback = IssuedAnswers(ttl_seconds=ttl_seconds)

    def issue(self, result: AnswerResult) -> str:
        """A new random id for this answer."""
        answer_id = uuid.uuid4().hex
        payload = result.model_dump_json()
        self.link.run(
            lambda r: r.set(ANSWER_KEY + answer_id, payload, ex=self.ttl_seconds),
            lambda: self._fallback.keep(answer_id, result),
        )
        return answer_id

    def get(self, answer_id: str) -> AnswerResult | None:
        stored = self.link.run(lambda r: r.get(ANSWER_KEY + answer_id), lambda: None)
        if stored is None:
            return self._fallback.get(answer_id)
        return AnswerResult.model_validate_json(stored)
