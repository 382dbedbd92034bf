"""👍/👎 on an answer bubble → a row in the feedback store (and back out when the reader un-clicks);
a reason for 👎, chosen afterwards, is added to the same row."""

from __future__ import annotations

import logging

from app.records.feedback_store import FeedbackStore

log = logging.getLogger(__name__)

THANKS_UP = "感谢反馈！"
THANKS_DOWN = "感谢反馈，我们会据此改进回答。"
THANKS_REASON = "已记录原因，谢谢您帮我们改进！"


def chat_position(index: int | tuple | list) -> int:
    return index[0] if isinstance(index, (tuple, list)) else index


class FeedbackHandler:
    def __init__(self, store: FeedbackStore) -> None:
        self.store = store

    def rate(
        self,
        records: dict[int, dict],
        index: int | tuple | list,
        liked: bool | str,
        reason: str | None = None,
        comment: str | None = None,
    ) -> str | None:
        """Store the rating of the answer at chat position `index`; returns a thank-you line, or None when nothing was stored.

        `liked` is True (👍), False (👎) or "" when the reader clicked the same thumb again to take it back;
        `reason` and `comment` say why (👎 only).
        """
        record = records.get(chat_position(index))
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
                    reason=reason,
                    comment=comment,
                )
                if reason or comment:
                    return THANKS_REASON
                return THANKS_UP if liked else THANKS_DOWN
            self.store.clear(record["answer_id"])
        except ValueError:  # a reason that is not one of the choices: the page offers only those
            log.warning("feedback with an unknown reason %r refused", reason)
        except Exception:  # a full disk or locked database must not break the chat
            log.exception("storing feedback failed")
        return None
