"""POST /api/chat over real HTTP: the answer contract, sessions and follow-ups, streaming, bad input."""

from __future__ import annotations

import httpx
import pytest

from app.schemas import AnswerResult
from tests.api.conftest import read_sse

CONTRACT_FIELDS = set(AnswerResult.model_fields) | {"session_id", "answer_id"}
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def test_answer_is_the_contract_with_a_session(api: httpx.Client) -> None:
    response = api.post("/api/chat", json={"message": "洪山区中小企业买算力有补贴吗"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == CONTRACT_FIELDS
    assert body["mode"] == "extractive" and not body["refused"]
    assert len(body["session_id"]) >= 16
    first = body["citations"][0]
    assert first["doc_id"] == "hongshan-ai-2025" and first["clause"] == "五、强化算力普惠供给"
    assert first["status"] == "in_force" and "20%" in first["text"]
    assert f"[{first['ref']}]" in body["answer"]


def test_follow_up_is_understood_within_the_session_only(api: httpx.Client) -> None:
    first = api.post("/api/chat", json={"message": "洪山区中小企业买算力有补贴吗"}).json()
    follow = api.post("/api/chat", json={"message": "那市里呢？", "session_id": first["session_id"]}).json()
    assert follow["session_id"] == first["session_id"]
    assert follow["resolved_question"] and "算力" in follow["resolved_question"]
    assert {c["doc_id"] for c in follow["citations"]} == {"wuhan-opc-2026"}

    alone = api.post("/api/chat", json={"message": "那市里呢？"}).json()
    assert alone["session_id"] != first["session_id"]
    assert "算力" not in (alone["resolved_question"] or "")  # nothing borrowed from another session


def test_unknown_session_starts_a_new_one(api: httpx.Client) -> None:
    body = api.post("/api/chat", json={"message": "那市里呢？", "session_id": "someone-elses-guess"}).json()
    assert body["session_id"] != "someone-elses-guess"
    assert "算力" not in (body["resolved_question"] or "") and body["answer"].startswith("之前的对话记录已经丢失")


def test_streamed_answer_is_deltas_then_one_final_event(api: httpx.Client) -> None:
    with api.stream(
        "POST", "/api/chat", json={"message": "OPC创业者租房有什么优惠"}, headers={"Accept": "text/event-stream"}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = read_sse(response)
    kinds = [e.event for e in events]
    assert kinds[-1] == "final" and kinds.count("final") == 1
    assert kinds.count("delta") >= 2 and set(kinds[:-1]) == {"delta"}
    final = events[-1].data
    assert set(final) == CONTRACT_FIELDS
    assert "".join(e.data["text"] for e in events[:-1]) == final["answer"]
    assert final["citations"] and all(c["text"] for c in final["citations"])


def test_streamed_follow_up_keeps_the_session(api: httpx.Client) -> None:
    headers = {"Accept": "text/event-stream"}
    with api.stream("POST", "/api/chat", json={"message": "洪山区中小企业买算力有补贴吗"}, headers=headers) as response:
        session = read_sse(response)[-1].data["session_id"]
    with api.stream("POST", "/api/chat", json={"message": "那市里呢？", "session_id": session}, headers=headers) as response:
        final = read_sse(response)[-1].data
    assert final["session_id"] == session and final["resolved_question"]


def test_out_of_scope_question_is_refused(api: httpx.Client) -> None:
    body = api.post("/api/chat", json={"message": "今天武汉天气怎么样"}).json()
    assert body["refused"] and body["citations"] == []
    assert body["answer"].startswith("现有政策文件没有涉及这个问题")


def test_markup_in_a_message_comes_back_as_inert_json_text(api: httpx.Client) -> None:
    response = api.post("/api/chat", json={"message": XSS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["question"] == XSS  # the same characters, as JSON text; the widget shows it with textContent


@pytest.mark.parametrize(
    ("payload", "status", "code", "words"),
    [
        ({"message": ""}, 400, "invalid_question", "问题为空"),
        ({"message": "   \n "}, 400, "invalid_question", "问题为空"),
        ({"message": "算" * 501}, 400, "invalid_question", "500 字以内"),
        ({"message": "算" * 6000}, 422, "invalid_request", "问题太长"),
        ({}, 422, "invalid_request", "缺少 message"),
        ({"message": 42}, 422, "invalid_request", "须为文字"),
        ({"message": "你好", "session_id": "../../etc"}, 422, "invalid_request", "session_id"),
        (["not", "an", "object"], 422, "invalid_request", "JSON 对象"),
    ],
)
def test_bad_input_gets_a_chinese_json_error(api: httpx.Client, payload, status: int, code: str, words: str) -> None:
    response = api.post("/api/chat", json=payload)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and words in error["message"]
    assert "Traceback" not in response.text


def test_malformed_json_and_oversized_bodies(api: httpx.Client) -> None:
    broken = api.post("/api/chat", content=b'{"message": ', headers={"Content-Type": "application/json"})
    assert broken.status_code == 422 and "不是有效的 JSON" in broken.json()["error"]["message"]
    huge = b'{"message": "' + b"a" * 70_000 + b'"}'
    declared = api.post("/api/chat", content=huge, headers={"Content-Type": "application/json"})
    assert declared.status_code == 413 and declared.json()["error"]["code"] == "payload_too_large"
    chunked = api.post("/api/chat", content=iter([huge[:40_000], huge[40_000:]]), headers={"Content-Type": "application/json"})
    assert chunked.status_code == 413 and "太大" in chunked.json()["error"]["message"]


def test_streaming_request_with_bad_input_gets_a_plain_json_error(api: httpx.Client) -> None:
    response = api.post("/api/chat", json={"message": ""}, headers={"Accept": "text/event-stream"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["message"].startswith("问题为空")


def test_unknown_paths_and_methods_are_json_errors(api: httpx.Client) -> None:
    missing = api.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "http_404"
    wrong_method = api.get("/api/chat")
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]["message"]
