"""The records a running app keeps: one database, the question log and the ratings on it."""

from __future__ import annotations

from dataclasses import dataclass

from app.records.database import Database
from app.records.feedback_store import FeedbackStore
from app.records.question_log import QuestionLog


@dataclass
class Records:
    database: Database
    questions: QuestionLog
    feedback: FeedbackStore

    @classmethod
    def from_settings(cls, settings) -> "Records":
        """Nothing is connected yet: the database is opened (and migrated) on first use, so a database
        that is down at start-up costs the log, never the page."""
        database = Database.from_settings(settings)
        return cls(database, QuestionLog.from_settings(settings, database), FeedbackStore(database))
