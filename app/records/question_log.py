"""Every question the page, the widget and the API answered, recorded for maintainers.

A surface hands over the answer and goes on: the row is put on a bounded
queue and written by one background thread, so a full disk, a locked SQLite
file or an unreachable PostgreSQL never delays or breaks an answer. Such a
failure is logged once (and its end once), and the rows of that moment are
dropped. No client address is recorded; a conversation is grouped by a salted
hash of its session id, the salt being random per process (conversations
live only as long as the process does), so the hash cannot be turned back
into an id and does not link visitors across restarts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import queue
import secrets
import threading
import time
from typing import Literal

from sqlalchemy import delete

from app.records.database import Database, utc_now
from app.records.tables import questions
from app.schemas import AnswerResult, Citation

log = logging.getLogger(__name__)

Surface = Literal["page", "widget", "api"]
SURFACES: tuple[str, ...] = Surface.__args__  # type: ignore[attr-defined]
QUEUE_SIZE = 1000
PURGE_EVERY_S = 3600.0
MAX_ORIGIN_CHARS = 255


def clause_label(citation: Citation) -> str:
    """How a cited clause is named in reports and exports: 《title》clause."""
    return f"《{citation.doc_title}》{citation.clause}"


class QuestionLog:
    def __init__(self, database: Database, enabled: bool = True, retention_days: int = 180) -> None:
        self.database = database
        self.enabled = enabled
        self.retention = dt.timedelta(days=retention_days)
        self._salt = secrets.token_bytes(16)
        self._queue: queue.Queue[dict] = queue.Queue(maxsize=QUEUE_SIZE)
        self._writer: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._failing = False
        self._last_purge = float("-inf")

    @classmethod
    def from_settings(cls, settings, database: Database) -> "QuestionLog":
        return cls(database, settings.question_log, settings.question_log_retention_days)

    # -- what surfaces call -------------------------------------------------------
    def session_hash(self, session_id: str | None) -> str | None:
        if not session_id:
            return None
        return hmac.new(self._salt, session_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def record(
        self,
        answer_id: str,
        surface: Surface,
        result: AnswerResult,
        origin: str | None = None,
        session_id: str | None = None,
    ) -> None:
        """Queue one answered question for writing; never raises, never waits."""
        if not self.enabled:
            return
        try:
            row = {
                "answer_id": answer_id,
                "asked_at": utc_now(),
                "surface": surface,
                "origin": origin[:MAX_ORIGIN_CHARS] if origin else None,
                "session_hash": self.session_hash(session_id),
                "mode": result.mode,
                "refused": result.refused,
                "strength": result.strength,
                "citations": [clause_label(c) for c in result.citations],
                "latency_ms": result.latency_ms,
                "question": storable(result.question),
                "resolved_question": storable(result.resolved_question),
            }
            self._ensure_writer()
            self._queue.put_nowait(row)
        except queue.Full:
            self._report_failure("question log queue is full; a question was not recorded")
        except Exception as exc:  # a bug here must still not cost the founder the answer
            self._report_failure(f"question log: {exc!r}")

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued row is written (or dropped); False on timeout. For tests, benchmarks and shutdown."""
        with self._queue.all_tasks_done:
            return self._queue.all_tasks_done.wait_for(lambda: self._queue.unfinished_tasks == 0, timeout)

    # -- retention ------------------------------------------------------------------
    def purge_expired(self, now: dt.datetime | None = None) -> int:
        """Delete questions older than the retention period; returns how many."""
        cutoff = (now or utc_now()) - self.retention
        with self.database.ready().begin() as db:
            return db.execute(delete(questions).where(questions.c.asked_at < cutoff)).rowcount

    # -- the writer thread ----------------------------------------------------------
    def _ensure_writer(self) -> None:
        if self._writer is not None:
            return
        with self._start_lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_forever, name="question-log", daemon=True)
                self._writer.start()

    def _write_forever(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < 100:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _write(self, batch: list[dict]) -> None:
        try:
            with self.database.ready().begin() as db:
                db.execute(questions.insert(), batch)
            self._purge_now_and_then()
        except Exception as exc:
            self._report_failure(f"question log: cannot write to {self.database.shown_url}: {_first_line(exc)}")
            return
        if self._failing:
            self._failing = False
            log.warning("question log: writing to %s works again", self.database.shown_url)

    def _purge_now_and_then(self) -> None:
        if time.monotonic() - self._last_purge >= PURGE_EVERY_S:
            self._last_purge = time.monotonic()
            removed = self.purge_expired()
            if removed:
                log.info("question log: deleted %d questions older than %d days", removed, self.retention.days)

    def _report_failure(self, message: str) -> None:
        """One line when logging starts failing; silence while it keeps failing."""
        if not self._failing:
            self._failing = True
            log.error(message)


def storable(text: str | None) -> str | None:
    """Text as it was asked, except NUL, which PostgreSQL cannot store in a text column (shown as �)."""
    return None if text is None else text.replace("\x00", "\ufffd")


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
