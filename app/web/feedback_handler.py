"""👍/👎 on an answer bubble → a row in the feedback store (and back out when the reader un-clicks)."""

from __future__ import annotations

import logging

from app.feedback_store import FeedbackStore

log = logging.getLogger(__name__)


class FeedbackHandler:
    def __init__(self, store: FeedbackStore) -> None:
        self.store = store

    def rate(self, records: dict[int, dict], index: int | tuple | list, liked: bool | str) -> str | None:
        """Store the rating of the answer at chat position `index`; returns a thank-you line, or None when nothing was stored.

        `liked` is True (👍), False (👎) or "" when the reader clicked the same thumb again to take it back.
        """
        position = index[0] if isinstance(index, (tuple, list)) else index
        record = records.get(position)
        if record is None:  # a bubble that is not an answer (an error message): nothing to rate
            return None
        try:
            if liked is True or liked is False:
                self.store.rate(
                    record["answer_id"],
                    "up" if liked else "down",
                    question=record["question"],
                    answer=record["answer"],
                    citations=record["citations"],
                    resolved_question=record["resolved_question"],
                )
                return "感谢反馈！" if liked else "感谢反馈，我们会据此改进回答。"
            self.store.clear(record["answer_id"])
        except Exception:  # a full disk or locked database must not break the chat
            log.exception("storing feedback failed")
        return None
