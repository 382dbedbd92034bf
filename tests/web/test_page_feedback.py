"""Feedback on answers: the store in the records database, the page's like handler (with 👎 reasons), and `policy-advisor feedback`."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.records.database import Database
from app.records.feedback_store import FeedbackStore, export_feedback
from app.web.chat_handler import ChatHandler
from app.web.feedback_handler import FeedbackHandler

CLI = [sys.executable, "-m", "app.cli"]
CITATIONS = [{"ref": 1, "doc_id": "hongshan-ai-2025", "doc_title": "洪山区支持人工智能产业高质量发展若干措施", "clause": "五、强化算力普惠供给"}]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "advisor.sqlite3"


@pytest.fixture
def store(db_path: Path) -> FeedbackStore:
    return FeedbackStore(Database(f"sqlite:///{db_path}"))


def test_rating_is_stored_with_question_answer_and_citations(store, db_path):
    store.rate("a1", "up", question="买算力有补贴吗", answer="有，最高20万元。[1]", citations=CITATIONS, resolved_question=None)
    (row,) = store.recent()
    assert (row.rating, row.question, row.answer, row.citations) == ("up", "买算力有补贴吗", "有，最高20万元。[1]", CITATIONS)
    assert row.created_at.endswith("+00:00")
    with sqlite3.connect(db_path) as db:  # maintainers can read it with any SQLite tool
        assert db.execute("SELECT rating, json_extract(citations, '$[0].doc_id') FROM feedback").fetchall() == [
            ("up", "hongshan-ai-2025")
        ]


def test_rating_again_replaces_and_clearing_removes(store):
    store.rate("a1", "up", question="q", answer="a", citations=[])
    store.rate("a1", "down", question="q", answer="a", citations=[])
    assert [r.rating for r in store.recent()] == ["down"]
    store.clear("a1")
    assert store.recent() == []


def test_recent_is_newest_first_and_limited(store):
    for i in range(5):
        store.rate(f"a{i}", "up", question=f"q{i}", answer="a", citations=[])
    assert [r.question for r in store.recent(limit=3)] == ["q4", "q3", "q2"]
    assert len(store.recent(limit=None)) == 5


def test_bad_rating_or_reason_is_refused(store):
    with pytest.raises(ValueError):
        store.rate("a1", "meh", question="q", answer="a", citations=[])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.rate("a1", "down", question="q", answer="a", citations=[], reason="太长")
    assert store.recent() == []


def test_dislike_keeps_its_reason_and_words_a_like_keeps_neither(store):
    store.rate("a1", "down", question="q", answer="a", citations=[], reason="信息有误或过期", comment="  金额已经变了 ")
    assert [(r.reason, r.comment) for r in store.recent()] == [("信息有误或过期", "金额已经变了")]
    store.rate("a1", "up", question="q", answer="a", citations=[], reason="不完整", comment="x")
    assert [(r.rating, r.reason, r.comment) for r in store.recent()] == [("up", None, None)]


def test_export_csv_and_jsonl(store, tmp_path):
    store.rate("a1", "up", question="算力, \"补贴\"\n吗", answer="答", citations=CITATIONS, resolved_question="洪山 算力")
    rows = store.recent(None)
    export_feedback(rows, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as handle:
        (record,) = list(csv.DictReader(handle))
    assert record["question"] == "算力, \"补贴\"\n吗" and json.loads(record["citations"]) == CITATIONS
    export_feedback(rows, tmp_path / "out.jsonl")
    (line,) = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["resolved_question"] == "洪山 算力"
    with pytest.raises(ValueError):
        export_feedback(rows, tmp_path / "out.xlsx")


def test_page_like_handler_rates_the_answer_at_that_chat_position(advisor, store):
    updates = list(ChatHandler(advisor).respond("洪山区中小企业买算力有补贴吗", [], [], {}))
    messages, _, records, _ = updates[-1]
    handler = FeedbackHandler(store)
    assert handler.rate(records, 0, True) is None, "the question bubble is not an answer"
    assert handler.rate(records, 1, False)
    (row,) = store.recent()
    assert row.rating == "down" and row.question == "洪山区中小企业买算力有补贴吗" and "20 万元" in row.answer
    assert row.citations[0]["doc_id"] == "hongshan-ai-2025" and row.citations[0]["text"]
    assert handler.rate(records, 1, False, reason="看不懂", comment="术语太多")
    assert [(r.rating, r.reason, r.comment) for r in store.recent()] == [("down", "看不懂", "术语太多")]
    assert handler.rate(records, 1, False, reason="不相关") is None, "only the offered reasons"
    handler.rate(records, [1], True)
    assert [r.rating for r in store.recent()] == ["up"]
    handler.rate(records, 1, "")  # the reader clicked the same thumb again
    assert store.recent() == []


def run_cli(args: list[str], home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ADVISOR_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(CLI + args, capture_output=True, text=True, timeout=60, env=env)


def test_cli_prints_recent_feedback_and_exports(tmp_path):
    home = tmp_path / "home"
    empty = run_cli(["feedback"], home)
    assert empty.returncode == 0 and "no feedback yet" in empty.stdout
    store = FeedbackStore(Database(f"sqlite:///{home / 'advisor.sqlite3'}"))
    store.rate("a1", "up", question="洪山区买算力有补贴吗", answer="最高20万元 [1]", citations=CITATIONS)
    store.rate("a2", "down", question="[bold]租房呢[/bold]", answer="不清楚", citations=[], resolved_question="租房 补贴", reason="答非所问")
    shown = run_cli(["feedback", "-n", "5"], home)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.index("[bold]租房呢[/bold]") < shown.stdout.index("洪山区买算力有补贴吗")  # newest first, markup shown as text
    assert "👎" in shown.stdout and "👍" in shown.stdout and "五、强化算力普惠供给" in shown.stdout and "租房 补贴" in shown.stdout
    assert "答非所问" in shown.stdout

    exported = run_cli(["feedback", "--export", str(tmp_path / "all.jsonl")], home)
    assert exported.returncode == 0 and "2 ratings" in exported.stdout
    assert len((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    bad = run_cli(["feedback", "--export", str(tmp_path / "all.xlsx")], home)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and ".csv or .jsonl" in bad.stderr
    unwritable = run_cli(["feedback", "--export", str(tmp_path / "missing-dir" / "all.csv")], home)
    assert unwritable.returncode == 2 and "cannot write" in unwritable.stderr and "Traceback" not in unwritable.stderr
