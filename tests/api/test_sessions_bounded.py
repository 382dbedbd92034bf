"""Conversations are bounded in number (SESSION_MAX) and idle age (SESSION_TTL_SECONDS)."""

from __future__ import annotations

import time

import httpx

from app.answer.phrases import CONTEXT_LOST_ZH
from tests.api.conftest import serve_api

FIRST = {"message": "洪山区中小企业买算力有补贴吗"}


def follow_up(client: httpx.Client, session: str) -> dict:
    return client.post("/api/chat", json={"message": "那市里呢？", "session_id": session}).json()


def test_oldest_conversation_is_forgotten_beyond_session_max(settings, advisor) -> None:
    with serve_api(settings, advisor, session_max=2) as base, httpx.Client(base_url=base, timeout=30) as client:
        sessions = [client.post("/api/chat", json=FIRST).json()["session_id"] for _ in range(3)]
        assert client.get("/healthz").json()["sessions"] == 2
        forgotten = follow_up(client, sessions[0])
        assert forgotten["session_id"] != sessions[0] and forgotten["answer"].startswith(CONTEXT_LOST_ZH)
        kept = follow_up(client, sessions[2])
        assert kept["session_id"] == sessions[2] and kept["resolved_question"]


def test_idle_conversation_expires(settings, advisor) -> None:
    with serve_api(settings, advisor, session_ttl_seconds=1) as base, httpx.Client(base_url=base, timeout=30) as client:
        session = client.post("/api/chat", json=FIRST).json()["session_id"]
        assert follow_up(client, session)["session_id"] == session  # in time: remembered (and the clock restarts)
        time.sleep(1.3)
        expired = follow_up(client, session)
        assert expired["session_id"] != session and expired["answer"].startswith(CONTEXT_LOST_ZH)
