"""Conversations are kept in the data home: a restarted server (or a second one on the same home) continues them;
a conversation that is really gone makes the follow-up say so instead of refusing."""

from __future__ import annotations

import httpx

from app.answer.phrases import CONTEXT_LOST_ZH, REFUSAL_ZH
from app.api.session_store import SESSIONS_FILE, MemorySessionStore, SqliteSessionStore
from app.schemas import Turn
from tests.api.conftest import serve_api

FIRST = {"message": "洪山区中小企业买算力有补贴吗"}


def test_a_follow_up_is_understood_by_a_restarted_server(settings, advisor, tmp_path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "index").symlink_to(settings.index_dir, target_is_directory=True)
    own = settings.model_copy(update={"advisor_home": home})
    with serve_api(own, advisor) as base:
        session = httpx.post(f"{base}/api/chat", json=FIRST, timeout=30).json()["session_id"]
    assert (home / SESSIONS_FILE).is_file()
    with serve_api(own, advisor) as restarted:
        follow = httpx.post(f"{restarted}/api/chat", json={"message": "那市里呢？", "session_id": session}, timeout=30).json()
    assert follow["session_id"] == session
    assert "算力" in follow["resolved_question"] and "武汉市" in follow["answer"]


def test_a_lost_conversation_says_so_instead_of_refusing(settings, advisor) -> None:
    with serve_api(settings, advisor, session_store="memory") as base:
        unknown = "x" * 22  # a well-formed id this server never issued (as after a restart of the in-memory store)
        lost = httpx.post(f"{base}/api/chat", json={"message": "那洪山区呢？", "session_id": unknown}, timeout=30).json()
        fresh = httpx.post(f"{base}/api/chat", json={"message": "那洪山区呢？"}, timeout=30).json()
    assert lost["session_id"] != unknown
    assert lost["answer"].startswith(CONTEXT_LOST_ZH) and not lost["refused"] and lost["citations"]
    assert REFUSAL_ZH not in lost["answer"]
    assert CONTEXT_LOST_ZH not in fresh["answer"] and "洪山区" in fresh["resolved_question"] and fresh["citations"]


def test_sqlite_store_keeps_bounds_like_the_memory_store(tmp_path) -> None:
    for store in (SqliteSessionStore(tmp_path / "s.sqlite3", max_sessions=2, ttl_seconds=3600), MemorySessionStore(2, 3600)):
        for name in ("a", "b", "c"):
            store.save(name, [Turn(question=f"问题{name}", resolved_question="洪山区 算力")])
        assert store.count() == 2 and store.load("a") is None
        assert store.load("c") == [Turn(question="问题c", resolved_question="洪山区 算力")]
    expired = SqliteSessionStore(tmp_path / "e.sqlite3", max_sessions=5, ttl_seconds=0)
    expired.save("a", [Turn(question="问题")])
    assert expired.load("a") is None and expired.count() == 0


def test_the_site_contact_replaces_the_configured_desk_for_that_answer(settings, advisor) -> None:
    desk = {"name": "光谷创业服务站", "phone": "027-12345678", "url": "https://desk.example.cn/help"}
    with serve_api(settings, advisor) as base:  # the advisor has no desk configured
        own = httpx.post(f"{base}/api/chat", json={"message": "转人工", "contact": desk}, timeout=30).json()
        default = httpx.post(f"{base}/api/chat", json={"message": "转人工"}, timeout=30).json()
        bad = httpx.post(f"{base}/api/chat", json={"message": "转人工", "contact": {"url": "javascript:alert(1)"}}, timeout=30)
    assert "光谷创业服务站" in own["answer"] and "027-12345678" in own["answer"] and "https://desk.example.cn/help" in own["answer"]
    assert "光谷创业服务站" not in default["answer"] and "未配置人工服务" in default["answer"]  # only for that answer
    assert bad.status_code == 422
