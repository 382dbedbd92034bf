"""Readers' 👍/👎 on answers, with a reason for 👎, kept in the records database for maintainers.

One row per rated answer: rating again replaces the earlier rating (and
reason), clearing it removes the row. Rows keep the question, the answer and
its citations as the reader saw them, so a maintainer can judge the answer
without re-running it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import delete, select, update

from app.records.database import Database, as_utc, utc_now
from app.records.export_files import write_records
from app.records.tables import feedback

Rating = Literal["up", "down"]
DISLIKE_REASONS = ("答非所问", "信息有误或过期", "不完整", "看不懂", "其他")
MAX_COMMENT_CHARS = 500


@dataclass(frozen=True)
class FeedbackRow:
    id: int
    answer_id: str
    created_at: str
    rating: Rating
    reason: str | None
    comment: str | None
    question: str
    resolved_question: str | None
    answer: str
    citations: list[dict]

    def as_record(self) -> dict:
        return asdict(self)


def check_rating(rating: str, reason: str | None, comment: str | None) -> tuple[str | None, str | None]:
    """The reason and comment to store (a 👍 keeps neither); ValueError for anything else than the fixed choices."""
    if rating not in ("up", "down"):
        raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
    if reason is not None and reason not in DISLIKE_REASONS:
        raise ValueError(f"reason must be one of {', '.join(DISLIKE_REASONS)}, not {reason!r}")
    text = (comment or "").strip()[:MAX_COMMENT_CHARS] or None
    return (reason, text) if rating == "down" else (None, None)


class FeedbackStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def rate(
        self,
        answer_id: str,
        rating: Rating,
        question: str,
        answer: str,
        citations: list[dict],
        resolved_question: str | None = None,
        reason: str | None = None,
        comment: str | None = None,
    ) -> None:
        """Record (or change) the rating of one answer."""
        reason, comment = check_rating(rating, reason, comment)
        engine = self.database.ready()
        changes = {"rating": rating, "reason": reason, "comment": comment, "created_at": utc_now()}
        with engine.begin() as db:
            done = db.execute(update(feedback).where(feedback.c.answer_id == answer_id).values(**changes))
            if done.rowcount == 0:
                db.execute(
                    feedback.insert().values(
                        answer_id=answer_id,
                        question=question,
                        resolved_question=resolved_question,
                        answer=answer,
                        citations=citations,
                        **changes,
                    )
                )

    def clear(self, answer_id: str) -> None:
        """The reader took their rating back."""
        with self.database.ready().begin() as db:
            db.execute(delete(feedback).where(feedback.c.answer_id == answer_id))

    def recent(self, limit: int | None = 20) -> list[FeedbackRow]:
        """Newest first; `limit=None` for all rows."""
        query = select(feedback).order_by(feedback.c.created_at.desc(), feedback.c.id.desc()).limit(limit)
        with self.database.ready().connect() as db:
            return [_row(r._mapping) for r in db.execute(query)]


def _row(values) -> FeedbackRow:
    record = dict(values)
    record["created_at"] = as_utc(record["created_at"]).isoformat(timespec="seconds")
    return FeedbackRow(**record)


def export_feedback(rows: list[FeedbackRow], target: Path) -> None:
    """Write rows as CSV (citations as a JSON string column) or JSON Lines, chosen by the file extension."""
    write_records([r.as_record() for r in rows], list(FeedbackRow.__dataclass_fields__), target)
