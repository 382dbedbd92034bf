"""Readers' 👍/👎 on answers, kept in SQLite under the data home for maintainers to read.

One row per rated answer: rating again replaces the earlier rating, clearing it
removes the row. Rows keep the question, the answer and its citations as the
reader saw them, so a maintainer can judge the answer without re-running it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

Rating = Literal["up", "down"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    resolved_question TEXT,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class FeedbackRow:
    id: int
    answer_id: str
    created_at: str
    rating: Rating
    question: str
    resolved_question: str | None
    answer: str
    citations: list[dict]

    def as_record(self) -> dict:
        return asdict(self)


class FeedbackStore:
    """Feedback rows in one SQLite file; every call opens its own connection (safe across threads)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as connection:
            connection.execute(_SCHEMA)
            with connection:  # one transaction, committed on success
                yield connection

    def rate(
        self,
        answer_id: str,
        rating: Rating,
        question: str,
        answer: str,
        citations: list[dict],
        resolved_question: str | None = None,
    ) -> None:
        """Record (or change) the rating of one answer."""
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._connect() as db:
            db.execute(
                """
                INSERT INTO feedback (answer_id, created_at, rating, question, resolved_question, answer, citations)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(answer_id) DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at
                """,
                (answer_id, now, rating, question, resolved_question, answer, json.dumps(citations, ensure_ascii=False)),
            )

    def clear(self, answer_id: str) -> None:
        """The reader took their rating back."""
        with self._connect() as db:
            db.execute("DELETE FROM feedback WHERE answer_id = ?", (answer_id,))

    def recent(self, limit: int | None = 20) -> list[FeedbackRow]:
        """Newest first; `limit=None` for all rows."""
        if not self.path.exists():
            return []
        query = "SELECT * FROM feedback ORDER BY created_at DESC, id DESC"
        params: tuple = ()
        if limit is not None:
            query += " LIMIT ?"
            params = (limit,)
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            return [_row(r) for r in db.execute(query, params)]


def _row(record: sqlite3.Row) -> FeedbackRow:
    values = dict(record)
    values["citations"] = json.loads(values["citations"])
    return FeedbackRow(**values)


def export_feedback(rows: list[FeedbackRow], target: Path) -> None:
    """Write rows as CSV (citations as a JSON string column) or JSON Lines, chosen by the file extension."""
    suffix = target.suffix.lower()
    if suffix == ".jsonl":
        with target.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row.as_record(), ensure_ascii=False) + "\n")
    elif suffix == ".csv":
        # utf-8-sig so Excel (what most maintainers open it with) shows the Chinese correctly
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(FeedbackRow.__dataclass_fields__))
            writer.writeheader()
            for row in rows:
                record = row.as_record()
                record["citations"] = json.dumps(record["citations"], ensure_ascii=False)
                writer.writerow(record)
    else:
        raise ValueError(f"export file must end in .csv or .jsonl, not {target.name!r}")
