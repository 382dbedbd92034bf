"""The answers this server gave recently, by `answer_id`: what `/api/feedback` may rate.

Kept in memory, bounded in count and age like the conversations, so a rating
can only name an answer that exists and carries the question, the answer and
its citations as the reader saw them, whether or not the question log is on.
"""

from __future__ import annotations

import threading
import uuid

from cachetools import TTLCache

from app.schemas import AnswerResult

ANSWERS_KEPT = 10_000
RATEABLE_FOR_S = 24 * 3600


class IssuedAnswers:
    def __init__(self, max_answers: int = ANSWERS_KEPT, ttl_seconds: float = RATEABLE_FOR_S) -> None:
        self._cache: TTLCache[str, AnswerResult] = TTLCache(maxsize=max_answers, ttl=ttl_seconds)
        self._lock = threading.Lock()

    def issue(self, result: AnswerResult) -> str:
        """A new random id for this answer."""
        answer_id = uuid.uuid4().hex
        self.keep(answer_id, result)
        return answer_id

    def keep(self, answer_id: str, result: AnswerResult) -> None:
        with self._lock:
            self._cache[answer_id] = result

    def get(self, answer_id: str) -> AnswerResult | None:
        with self._lock:
            return self._cache.get(answer_id)
