"""An unexpected failure (the index switched to a version that is missing) is a JSON 500, never a stack trace."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import httpx
import pytest

from app.advisor import Advisor
from app.retrieval.policy_index import VERSION_CHECK_SECONDS
from policy_core.settings import Settings
from tests.api.conftest import ALLOWED, read_sse, serve_api
from tests.support.corpus import TODAY


@pytest.fixture
def broken_advisor(built_home: Path, tmp_path: Path) -> Advisor:
    """An advisor whose index is fine at start-up, then `current.json` points at a version that does not exist."""
    home = tmp_path / "home-copy"
    shutil.copytree(built_home, home)
    advisor = Advisor(Settings(advisor_home=home, today=TODAY, _env_file=None))
    current = home / "index" / "current.json"
    record = json.loads(current.read_text(encoding="utf-8"))
    current.write_text(json.dumps({**record, "version": "gone"}), encoding="utf-8")
    time.sleep(VERSION_CHECK_SECONDS + 0.1)  # the advisor looks at current.json at most once a second
    return advisor


def test_internal_errors_are_json_without_a_traceback(broken_advisor: Advisor) -> None:
    with serve_api(broken_advisor.settings, broken_advisor, allowed_origins=[ALLOWED]) as base, httpx.Client(
        base_url=base, timeout=30
    ) as client:
        for response in (
            client.post("/api/chat", json={"message": "洪山区算力补贴"}, headers={"Origin": ALLOWED}),
            client.get("/api/policies", headers={"Origin": ALLOWED}),
        ):
            assert response.status_code == 500
            assert response.json() == {"error": {"code": "internal_error", "message": "服务出了点问题，请稍后再试。"}}
            assert response.headers["access-control-allow-origin"] == ALLOWED  # the widget can read and show it
            assert "Traceback" not in response.text and "gone" not in response.text

        with client.stream(
            "POST", "/api/chat", json={"message": "洪山区算力补贴"}, headers={"Accept": "text/event-stream"}
        ) as stream:
            assert stream.status_code == 200
            events = read_sse(stream)
        assert [e.event for e in events] == ["error"]
        assert events[0].data["error"]["code"] == "internal_error"
