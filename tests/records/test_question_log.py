"""The question log end to end, on SQLite and on a real PostgreSQL server: questions from the page, the
widget and the API are recorded with their fields, rated with reasons, reported and exported by
`policy-advisor questions`; no client address or raw session id reaches the database."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import MetaData, insert, select

from app.api import install_api
from app.records.question_log import QuestionLog
from app.records.store import Records
from app.records.tables import questions
from app.schemas import AnswerResult
from app.web.chat_handler import ChatHandler
from tests.api.conftest import client_from
from tests.support.servers import serve_asgi

SITE = "http://zhengce.example"
ANSWERED = "洪山区中小企业买算力有补贴吗"
REFUSED = "今天武汉天气怎么样"
XSS = '<img src=x onerror="alert(1)">\x07天气\x1b[31m'


@contextlib.contextmanager
def served(settings, advisor, **overrides) -> Iterator[tuple[str, Records]]:
    """The API on a real port with its records where the test can flush them."""
    settings = settings.model_copy(update={"allowed_origins": [SITE], "rate_limit_per_minute": 1000, **overrides})
    records = Records.from_settings(settings)
    application = FastAPI()
    install_api(application, settings, advisor, records)
    with serve_asgi(application) as base:
        yield base, records
    records.database.dispose()


def run_cli(args: list[str], settings, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ADVISOR_HOME": str(tmp_path / "cli-home"), "DATABASE_URL": settings.database_url, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=120, env=env)


def all_stored_text(records: Records) -> str:
    """Every value of every table, as one string: what an address search over the database would see."""
    meta = MetaData()
    meta.reflect(records.database.ready())
    with records.database.engine.connect() as db:
        return json.dumps([[list(map(str, row)) for row in db.execute(select(table))] for table in meta.sorted_tables], ensure_ascii=False)


def test_each_surface_is_logged_rated_reported_and_exported(records_settings, advisor, tmp_path):
    with served(records_settings, advisor) as (base, records):
        with client_from("127.0.0.7", base) as widget, client_from("127.0.0.8", base) as program:
            site = {"Origin": SITE}
            first = widget.post("/api/chat", json={"message": ANSWERED, "client": "widget"}, headers=site).json()
            follow = widget.post(
                "/api/chat", json={"message": "那市里呢？", "client": "widget", "session_id": first["session_id"]}, headers=site
            ).json()
            refused = program.post("/api/chat", json={"message": REFUSED}).json()
            hostile = program.post("/api/chat", json={"message": XSS}).json()
            rated = widget.post(
                "/api/feedback",
                json={"answer_id": first["answer_id"], "rating": "down", "reason": "不完整", "comment": "没说怎么申请"},
                headers=site,
            )
            assert rated.status_code == 200, rated.text
        page_turns = list(ChatHandler(advisor, records.questions).respond(ANSWERED, [], [], {}))
        assert page_turns[-1][2], "the page answered"
        assert records.questions.flush()

        exported = run_cli(["questions", "--export", str(tmp_path / "log.jsonl")], records_settings, tmp_path)
        assert exported.returncode == 0, exported.stderr
        rows = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text(encoding="utf-8").splitlines()]
        by_answer = {row["answer_id"]: row for row in rows}
        assert len(rows) == 5 and {r["surface"] for r in rows} == {"widget", "api", "page"}

        widget_row = by_answer[first["answer_id"]]
        assert widget_row["origin"] == SITE and widget_row["question"] == ANSWERED and not widget_row["refused"]
        assert widget_row["citations"][0] == "《洪山区支持人工智能产业高质量发展若干措施》五、强化算力普惠供给"
        assert widget_row["strength"] == pytest.approx(first["strength"]) and widget_row["strength"] > records_settings.refusal_threshold
        assert (widget_row["rating"], widget_row["reason"], widget_row["comment"]) == ("down", "不完整", "没说怎么申请")
        assert dt.datetime.fromisoformat(widget_row["asked_at"]).tzinfo is not None and widget_row["latency_ms"] > 0
        follow_row = by_answer[follow["answer_id"]]
        assert follow_row["question"] == "那市里呢？" and follow_row["resolved_question"] == follow["resolved_question"]
        assert follow_row["session_hash"] == widget_row["session_hash"], "one conversation, one hash"
        assert by_answer[refused["answer_id"]]["refused"] and by_answer[refused["answer_id"]]["origin"] is None
        assert by_answer[hostile["answer_id"]]["question"] == XSS.strip(), "stored as text, control characters and all"

        stored = all_stored_text(records)
        assert "127.0.0" not in stored, "no client address in the database"
        assert first["session_id"] not in stored and refused["session_id"] not in stored, "no raw session id"

        report = run_cli(["questions"], records_settings, tmp_path)
        assert report.returncode == 0, report.stderr
        unanswered = report.stdout.split("Unanswered")[1].split("👎 with reasons")[0]
        assert REFUSED in unanswered and ANSWERED not in unanswered
        disliked = report.stdout.split("👎 with reasons")[1].split("Weak evidence")[0]
        assert ANSWERED in disliked and "不完整；没说怎么申请" in disliked
        assert SITE in report.stdout and "五、强化算力普惠供给" in report.stdout
        assert "\x1b" not in report.stdout and "\x07" not in report.stdout, "no terminal escapes from a visitor's text"

        drafted = run_cli(["questions", "--to-golden", str(tmp_path / "g.jsonl"), "--pick", str(by_answer[refused["answer_id"]]["id"])], records_settings, tmp_path)
        assert drafted.returncode == 0, drafted.stderr
        assert json.loads((tmp_path / "g.jsonl").read_text(encoding="utf-8"))["question"] == REFUSED

        csv_export = run_cli(["questions", "--surface", "widget", "--export", str(tmp_path / "w.csv")], records_settings, tmp_path)
        assert csv_export.returncode == 0 and "2 questions" in csv_export.stdout
        header = (tmp_path / "w.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert {"asked_at", "surface", "origin", "question", "resolved_question", "refused", "strength", "citations", "rating", "reason"} <= set(header)


def test_rating_endpoint_accepts_only_real_answers_fixed_reasons_and_few_per_minute(records_settings, advisor):
    with served(records_settings, advisor, feedback_rate_limit_per_minute=4) as (base, records):
        with client_from("127.0.0.9", base) as visitor:
            answer = visitor.post("/api/chat", json={"message": ANSWERED}).json()
            made_up = visitor.post("/api/feedback", json={"answer_id": "0" * 32, "rating": "up"})
            assert made_up.status_code == 404 and made_up.json()["error"]["code"] == "unknown_answer"
            odd_reason = visitor.post("/api/feedback", json={"answer_id": answer["answer_id"], "rating": "down", "reason": "太长"})
            assert odd_reason.status_code == 422
            assert visitor.post("/api/feedback", json={"answer_id": answer["answer_id"], "rating": "up"}).status_code == 200
            assert records.feedback.recent()[0].rating == "up"
            assert visitor.post("/api/feedback", json={"answer_id": answer["answer_id"], "rating": None}).status_code == 200
            assert records.feedback.recent() == []
            assert visitor.post("/api/feedback", json={"answer_id": answer["answer_id"], "rating": "down"}).status_code == 200
            limited = visitor.post("/api/feedback", json={"answer_id": answer["answer_id"], "rating": "down"})
            assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


def test_retention_deletes_old_questions(database):
    log = QuestionLog(database, retention_days=180)
    now = dt.datetime.now(dt.timezone.utc)
    row = dict(surface="api", mode="extractive", refused=False, strength=0.5, citations=[], latency_ms=1.0, question="q")
    with database.ready().begin() as db:
        db.execute(insert(questions), [
            {**row, "answer_id": "old", "asked_at": now - dt.timedelta(days=181)},
            {**row, "answer_id": "recent", "asked_at": now - dt.timedelta(days=179)},
        ])  # fmt: skip
    assert log.purge_expired() == 1
    with database.engine.connect() as db:
        assert list(db.scalars(select(questions.c.answer_id))) == ["recent"]


def result(question: str = ANSWERED) -> AnswerResult:
    return AnswerResult(question=question, answer="…", mode="extractive", refused=False, citations=[], latency_ms=1.0, strength=0.6)


def test_switched_off_records_nothing(database):
    log = QuestionLog(database, enabled=False)
    log.record("a1", "api", result())
    assert log.flush()
    with database.ready().connect() as db:
        assert db.execute(select(questions)).all() == []


def test_an_unreachable_database_costs_one_log_line_not_the_answer(settings, advisor, caplog):
    from tests.support.servers import free_port

    down = settings.model_copy(update={"database_url": f"postgresql://nobody@127.0.0.1:{free_port()}/none"})
    with caplog.at_level(logging.ERROR, logger="app.records.question_log"), served(down, advisor) as (base, records):
        with client_from("127.0.0.10", base) as visitor:
            for _ in range(3):
                assert visitor.post("/api/chat", json={"message": ANSWERED}).status_code == 200
        assert records.questions.flush(timeout=30)
    lines = [r for r in caplog.records if r.name == "app.records.question_log"]
    assert len(lines) == 1 and "cannot write" in lines[0].getMessage()


def test_a_locked_sqlite_file_does_not_hold_up_the_answer(settings, advisor, isolated_home):
    import sqlite3

    path = isolated_home / "locked.sqlite3"
    locked = settings.model_copy(update={"database_url": f"sqlite:///{path}"})
    with served(locked, advisor) as (base, records):
        records.database.ready()
        holder = sqlite3.connect(path)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with client_from("127.0.0.11", base) as visitor:
                started = time.perf_counter()
                assert visitor.post("/api/chat", json={"message": ANSWERED}).status_code == 200
                assert time.perf_counter() - started < 2.5, "the answer did not wait for the locked file"
                assert not records.questions.flush(timeout=0.2), "the row is still waiting for the lock"
        finally:
            holder.rollback()
            holder.close()
        assert records.questions.flush(timeout=15)
        with records.database.engine.connect() as db:
            assert len(db.execute(select(questions)).all()) == 1, "written once the lock was gone"
