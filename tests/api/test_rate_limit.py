"""RATE_LIMIT_PER_MINUTE per client address and per session: HTTP 429 with Retry-After and a Chinese message.

Visitors are told apart by their source address: 127.0.0.x are all loopback on Linux.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import client_from, serve_api

LIMIT = 3
QUESTION = {"message": "洪山区中小企业买算力有补贴吗"}


@pytest.fixture
def limited_base(settings, advisor) -> Iterator[str]:
    with serve_api(settings, advisor, rate_limit_per_minute=LIMIT) as base:
        yield base


def assert_rate_limited(response) -> None:
    assert response.status_code == 429
    wait = int(response.headers["retry-after"])
    assert 1 <= wait <= 60
    error = response.json()["error"]
    assert error["code"] == "rate_limited" and error["retry_after"] == wait
    assert f"{wait} 秒后再试" in error["message"]


def test_one_address_is_limited_even_with_fresh_sessions(limited_base: str) -> None:
    with client_from("127.0.0.1", limited_base) as visitor, client_from("127.0.0.2", limited_base) as neighbour:
        for _ in range(LIMIT):
            assert visitor.post("/api/chat", json=QUESTION).status_code == 200  # a new session each time
        assert_rate_limited(visitor.post("/api/chat", json=QUESTION))
        assert neighbour.post("/api/chat", json=QUESTION).status_code == 200


def test_one_session_is_limited_across_addresses(limited_base: str) -> None:
    with client_from("127.0.0.3", limited_base) as a, client_from("127.0.0.4", limited_base) as b, client_from(
        "127.0.0.5", limited_base
    ) as c:
        session = a.post("/api/chat", json=QUESTION).json()["session_id"]
        assert a.post("/api/chat", json={"message": "那市里呢？", "session_id": session}).status_code == 200
        assert b.post("/api/chat", json={"message": "租房呢？", "session_id": session}).status_code == 200
        assert_rate_limited(c.post("/api/chat", json={"message": "那市里呢？", "session_id": session}))
        assert c.post("/api/chat", json=QUESTION).status_code == 200  # the same address, a new session: allowed


def test_streaming_requests_count_too(limited_base: str) -> None:
    with client_from("127.0.0.6", limited_base) as visitor:
        for _ in range(LIMIT):
            response = visitor.post("/api/chat", json=QUESTION, headers={"Accept": "text/event-stream"})
            assert response.status_code == 200
        refused = visitor.post("/api/chat", json=QUESTION, headers={"Accept": "text/event-stream"})
        assert_rate_limited(refused)
        assert refused.headers["content-type"] == "application/json"
