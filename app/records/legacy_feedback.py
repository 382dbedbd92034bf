"""Ratings from before the records database: rows of `<data home>/feedback.sqlite3`, imported once.

Every row is copied (an answer already rated in the new database keeps its
newer rating), then the old file is renamed to `feedback.sqlite3.imported`,
kept rather than deleted, so nothing is lost and nothing is imported twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine, select

from app.records.tables import feedback

log = logging.getLogger(__name__)
IMPORTED_SUFFIX = ".imported"


def _old_rows(path: Path) -> list[dict]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "feedback" not in tables:
            return []
        return [dict(r) for r in db.execute("SELECT * FROM feedback ORDER BY id")]


def _as_new(row: dict) -> dict:
    return {
        "answer_id": row["answer_id"],
        "created_at": dt.datetime.fromisoformat(row["created_at"]).astimezone(dt.timezone.utc),
        "rating": row["rating"],
        "reason": None,  # the old store had no reasons
        "comment": None,
        "question": row["question"],
        "resolved_question": row["resolved_question"],
        "answer": row["answer"],
        "citations": json.loads(row["citations"] or "[]"),
    }


def import_legacy_feedback(engine: Engine, path: Path) -> int:
    """Copy the old file's ratings into `feedback`; returns how many were new. No file: nothing to do."""
    path = Path(path)
    if not path.is_file():
        return 0
    rows = [_as_new(r) for r in _old_rows(path)]
    with engine.begin() as db:
        known = set(db.scalars(select(feedback.c.answer_id)))
        new = [r for r in rows if r["answer_id"] not in known]
        if new:
            db.execute(feedback.insert(), new)
    path.rename(path.with_name(path.name + IMPORTED_SUFFIX))
    log.warning("imported %d ratings from %s into the records database", len(new), path)
    return len(new)
