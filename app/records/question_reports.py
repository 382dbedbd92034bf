"""What maintainers read from the question log: the rows (joined with their ratings) and the reports over them.

Reports: the most asked topics (the clauses answers cited), refused questions
grouped by similar wording, 👎 with reasons, answers on weak evidence, and the
counts per surface and per embedding site.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from app.records.database import Database, as_utc
from app.records.export_files import encode_records
from app.records.tables import feedback, questions
from policy_core.tokenizer import token_set

SIMILAR_WORDING = 0.4  # Jaccard overlap of the words of two refused questions that puts them in one group
EXPORT_FIELDS = [
    "id", "answer_id", "asked_at", "surface", "origin", "question", "resolved_question", "refused", "strength",
    "citations", "mode", "latency_ms", "session_hash", "rating", "reason", "comment",
]  # fmt: skip


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    answer_id: str
    asked_at: dt.datetime
    surface: str
    origin: str | None
    question: str
    resolved_question: str | None
    refused: bool
    strength: float | None
    citations: list[str]
    mode: str
    latency_ms: float
    session_hash: str | None
    rating: str | None
    reason: str | None
    comment: str | None

    def export_record(self) -> dict:
        record = asdict(self)
        record["asked_at"] = self.asked_at.isoformat(timespec="seconds")
        return record

    @property
    def searched(self) -> str:
        return self.resolved_question or self.question


@dataclass(frozen=True)
class QuestionFilter:
    since: dt.date | None = None  # first day included (UTC)
    until: dt.date | None = None  # last day included (UTC)
    surface: str | None = None
    origin: str | None = None


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def load_questions(database: Database, where: QuestionFilter = QuestionFilter()) -> list[LoggedQuestion]:
    """Logged questions in the filter, oldest first, each with its rating when one came."""
    query = (
        select(questions, feedback.c.rating, feedback.c.reason, feedback.c.comment)
        .select_from(questions.outerjoin(feedback, feedback.c.answer_id == questions.c.answer_id))
        .order_by(questions.c.asked_at, questions.c.id)
    )
    if where.since:
        query = query.where(questions.c.asked_at >= _day_start(where.since))
    if where.until:
        query = query.where(questions.c.asked_at < _day_start(where.until + dt.timedelta(days=1)))
    if where.surface:
        query = query.where(questions.c.surface == where.surface)
    if where.origin:
        query = query.where(questions.c.origin == where.origin)
    with database.ready().connect() as db:
        rows = [dict(r._mapping) for r in db.execute(query)]
    return [LoggedQuestion(**{**r, "asked_at": as_utc(r["asked_at"])}) for r in rows]


# -- the reports ---------------------------------------------------------------------


def most_asked_topics(rows: list[LoggedQuestion], limit: int = 10) -> list[tuple[str, int]]:
    """The clauses answered questions cited most, with how many questions cited each."""
    counts = Counter(label for row in rows if not row.refused for label in dict.fromkeys(row.citations))
    return counts.most_common(limit)


@dataclass
class RefusedGroup:
    questions: list[LoggedQuestion] = field(default_factory=list)
    words: frozenset[str] = frozenset()

    @property
    def example(self) -> str:
        return self.questions[0].searched


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= SIMILAR_WORDING


def refused_groups(rows: list[LoggedQuestion]) -> list[RefusedGroup]:
    """Refused questions, those with similar wording together (largest group first): the unanswered queue."""
    groups: list[RefusedGroup] = []
    for row in rows:
        if not row.refused:
            continue
        words = token_set(row.searched)
        group = next((g for g in groups if _similar(g.words, words)), None)
        if group is None:
            groups.append(group := RefusedGroup(words=words))
        group.questions.append(row)
    return sorted(groups, key=lambda g: -len(g.questions))


def disliked(rows: list[LoggedQuestion]) -> list[LoggedQuestion]:
    """Answers rated 👎, newest first."""
    return sorted((r for r in rows if r.rating == "down"), key=lambda r: r.asked_at, reverse=True)


def weak_evidence(rows: list[LoggedQuestion], below: float) -> list[LoggedQuestion]:
    """Answered (not refused) questions whose evidence strength is below `below`, weakest first."""
    weak = [r for r in rows if not r.refused and r.strength is not None and r.strength < below]
    return sorted(weak, key=lambda r: r.strength)


@dataclass(frozen=True)
class SurfaceCount:
    surface: str
    origin: str | None
    asked: int
    refused: int
    up: int
    down: int


def per_surface_and_site(rows: list[LoggedQuestion]) -> list[SurfaceCount]:
    """Questions, refusals and ratings per surface and embedding site (most asked first)."""
    keys = Counter((r.surface, r.origin) for r in rows)
    out = []
    for (surface, origin), asked in keys.most_common():
        mine = [r for r in rows if (r.surface, r.origin) == (surface, origin)]
        out.append(
            SurfaceCount(
                surface,
                origin,
                asked,
                sum(r.refused for r in mine),
                sum(r.rating == "up" for r in mine),
                sum(r.rating == "down" for r in mine),
            )
        )
    return out


@dataclass(frozen=True)
class DayCount:
    day: dt.date  # UTC, as the filters
    asked: int
    refused: int
    up: int
    down: int

    @property
    def refusal_rate(self) -> float:
        return self.refused / self.asked if self.asked else 0.0


def per_day(rows: list[LoggedQuestion], since: dt.date | None = None, until: dt.date | None = None) -> list[DayCount]:
    """Questions, refusals and ratings per UTC day, every day from `since` (or the first question) to
    `until` (or the last) included, quiet days as zeros so a plot's gaps are real."""
    if not rows and (since is None or until is None):
        return []
    first = since or min(r.asked_at.date() for r in rows)
    last = until or max(r.asked_at.date() for r in rows)
    by_day: dict[dt.date, list[LoggedQuestion]] = {}
    for row in rows:
        by_day.setdefault(row.asked_at.date(), []).append(row)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [
        DayCount(
            day,
            len(mine := by_day.get(day, [])),
            sum(r.refused for r in mine),
            sum(r.rating == "up" for r in mine),
            sum(r.rating == "down" for r in mine),
        )
        for day in days
    ]


def export_questions(rows: list[LoggedQuestion], suffix: str) -> bytes:
    """The questions as a `.csv` or `.jsonl` file's bytes: `questions --export` and the admin page's downloads."""
    return encode_records([r.export_record() for r in rows], EXPORT_FIELDS, suffix)
