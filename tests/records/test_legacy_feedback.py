"""Ratings kept in the old `feedback.sqlite3` move into the records database (SQLite or PostgreSQL), once, none lost."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from app.records.database import Database
from app.records.feedback_store import FeedbackStore

OLD_SCHEMA = """
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
"""  # exactly as the old app/feedback_store.py made it
CITATIONS = [{"ref": 1, "doc_id": "hongshan-ai-2025", "clause": "五、强化算力普惠供给"}]


def write_old_file(path: Path, count: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute(OLD_SCHEMA)
        for i in range(count):
            db.execute(
                "INSERT INTO feedback (answer_id, created_at, rating, question, resolved_question, answer, citations) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (f"old{i}", f"2026-0{1 + i % 9}-15T08:00:00+00:00", "up" if i % 2 else "down", f"问题{i}", "洪山 算力" if i == 0 else None,
                 f"回答{i} [1]", json.dumps(CITATIONS, ensure_ascii=False)),
            )  # fmt: skip


def test_old_ratings_are_imported_once_and_the_file_kept(database_url, isolated_home):
    old = isolated_home / "feedback.sqlite3"
    write_old_file(old, 7)
    database = Database(database_url, old)
    store = FeedbackStore(database)
    rows = store.recent(limit=None)
    assert len(rows) == 7
    first = next(r for r in rows if r.answer_id == "old0")
    assert (first.rating, first.question, first.resolved_question, first.citations) == ("down", "问题0", "洪山 算力", CITATIONS)
    assert first.created_at == "2026-01-15T08:00:00+00:00" and first.reason is None
    assert not old.exists() and (isolated_home / "feedback.sqlite3.imported").exists(), "kept under a new name"

    store.rate("new1", "down", question="q", answer="a", citations=[], reason="看不懂")
    write_old_file(old, 2)  # an old copy put back: its rows are already there, nothing doubles
    again = FeedbackStore(Database(database_url, old))
    assert sorted(r.answer_id for r in again.recent(limit=None)) == sorted([f"old{i}" for i in range(7)] + ["new1"])
    database.dispose()
    again.database.dispose()


def test_no_old_file_no_import(database, isolated_home):
    assert FeedbackStore(database).recent() == [] and not (isolated_home / "feedback.sqlite3.imported").exists()
