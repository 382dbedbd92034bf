"""The two tables of the records database, as SQLAlchemy Core (the Alembic migrations create them).

`questions` holds one row per answered question, `feedback` one row per rated
answer; they share `answer_id`, the random id a surface gives an answer so a
rating can find it. Neither holds a client address or a raw session id.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, Text

metadata = MetaData()

questions = Table(
    "questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(64), nullable=False, unique=True),
    Column("asked_at", DateTime(timezone=True), nullable=False, index=True),
    Column("surface", String(16), nullable=False),  # page, widget, api
    Column("origin", String(255)),  # the embedding site (widget), as the browser sent it
    Column("session_hash", String(64)),  # salted hash: groups a conversation, cannot be turned back into the id
    Column("mode", String(16), nullable=False),
    Column("refused", Boolean, nullable=False),
    Column("strength", Float),
    Column("citations", JSON, nullable=False),  # clause labels: 《title》clause
    Column("latency_ms", Float, nullable=False),
    Column("question", Text, nullable=False),
    Column("resolved_question", Text),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("rating", String(8), nullable=False),  # up, down
    Column("reason", String(32)),  # one of DISLIKE_REASONS, for 👎
    Column("comment", Text),  # the reader's own words, optional
    Column("question", Text, nullable=False),
    Column("resolved_question", Text),
    Column("answer", Text, nullable=False),
    Column("citations", JSON, nullable=False),  # the citations as the reader saw them
)
