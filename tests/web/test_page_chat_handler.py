"""The page's chat function on the real advisor and index: streaming, follow-ups, bad input, failures."""

from __future__ import annotations

import json
import time
import shutil
from pathlib import Path

import pytest

from app.advisor import Advisor
from app.retrieval.policy_index import VERSION_CHECK_SECONDS
from app.web.chat_handler import FAILURE_MESSAGE, ChatHandler
from policy_core.settings import Settings
from tests.support.corpus import TODAY


def run(handler: ChatHandler, message: str, messages=None, turns=None, records=None) -> list[tuple]:
    return list(handler.respond(message, messages or [], turns or [], records or {}))


@pytest.fixture(scope="module")
def handler(advisor) -> ChatHandler:
    return ChatHandler(advisor)


def test_answer_streams_then_ends_with_source_cards(handler):
    updates = run(handler, "洪山区中小企业买算力有补贴吗")
    # first the question alone (the reader sees it at once), then a growing answer, then the cards
    first_messages = updates[0][0]
    assert [m["role"] for m in first_messages] == ["user"] and "洪山区中小企业买算力有补贴吗" in first_messages[0]["content"]
    partial = [u[0][-1]["content"] for u in updates[1:-1]]
    assert len(partial) >= 3, "the answer should arrive in several pieces"
    assert all(len(a) <= len(b) for a, b in zip(partial, partial[1:]))
    assert all("pa-sources" not in p for p in partial)
    messages, turns, records, box = updates[-1]
    final = messages[-1]["content"]
    assert messages[-1]["role"] == "assistant" and box == ""
    assert "20 万元" in final and "pa-card" in final and "现行有效" in final and "洪政规〔2025〕2号" in final
    assert "<mark>" in final, "the sentences used are highlighted in the clause text"
    assert turns[-1]["question"] == "洪山区中小企业买算力有补贴吗" and "20 万元" in turns[-1]["answer"]
    record = records[1]  # feedback on the answer at chat position 1 stores what the reader saw
    assert record["question"] == "洪山区中小企业买算力有补贴吗"
    assert record["citations"][0]["doc_id"] == "hongshan-ai-2025" and record["answer_id"]


def test_follow_up_is_resolved_against_the_conversation(handler):
    messages, turns, records, _ = run(handler, "洪山区中小企业买算力有补贴吗")[-1]
    messages, turns, records, _ = run(handler, "那市里呢？", messages, turns, records)[-1]
    assert len(messages) == 4 and set(records) == {1, 3}
    assert turns[-1]["resolved_question"] and "算力" in turns[-1]["resolved_question"]
    assert records[3]["citations"][0]["doc_id"] == "wuhan-opc-2026"
    assert "武汉市支持人工智能OPC创新发展若干措施" in messages[-1]["content"]
    assert "结合上文" in messages[-1]["content"], "the page says how the follow-up was understood"


def test_question_put_in_the_chat_by_the_page_is_not_repeated_and_follow_ups_are_offered(handler):
    from app.web.chat_handler import question_html

    shown = [{"role": "user", "content": [{"type": "text", "text": question_html("OPC创业者租房有什么优惠")}]}]
    messages, turns, _, _ = run(handler, "OPC创业者租房有什么优惠", shown)[-1]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    offered = [o["value"] for o in messages[-1]["options"]]
    assert 2 <= len(offered) <= 3 and all(q.startswith("武汉市") for q in offered)
    garbled = run(handler, "那市里呢？", [], [{"question": 3}, "x", *turns], {})[-1]
    assert "租房" in garbled[1][-1]["resolved_question"]  # the bad items dropped, the good turn read


def test_empty_message_sends_nothing(handler):
    before = [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]
    for text in ("", "   ", "\n"):
        updates = run(handler, text, before, [], {})
        assert len(updates) == 1 and updates[0][0] == before


def test_over_long_message_gets_a_polite_error_bubble(handler, settings):
    text = "算力补贴" * (settings.max_question_chars // 4 + 10)
    messages, turns, records, box = run(handler, text)[-1]
    assert box == text, "the question stays in the input box, to be shortened"
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert "pa-error" in messages[1]["content"] and "抱歉" in messages[1]["content"] and "问题太长" in messages[1]["content"]
    assert f"共 {len(text)} 字" in messages[0]["content"], "the echo of a huge message is shortened"
    assert turns == [] and records == {}, "a refused message is neither a turn nor rateable"


def test_markup_in_a_question_is_shown_as_text(handler):
    messages = run(handler, '<img src=x onerror="alert(1)"><script>alert(2)</script>算力补贴')[-1][0]
    assert "<img" not in messages[0]["content"] and "<script" not in messages[0]["content"]
    assert "&lt;script&gt;" in messages[0]["content"]


def test_out_of_scope_question_has_no_cards(handler):
    messages, _, records, _ = run(handler, "今天天气怎么样")[-1]
    assert "没有涉及" in messages[-1]["content"] and "pa-card" not in messages[-1]["content"]


def test_start_over_forgets_everything():
    assert ChatHandler.start_over() == ([], [], {}, "")


@pytest.fixture
def breakable_home(built_home: Path, tmp_path: Path) -> Path:
    home = tmp_path / "breakable"
    shutil.copytree(built_home, home)
    return home


def test_a_broken_index_becomes_a_chat_message_and_the_page_recovers(breakable_home):
    """An ingest that left current.json pointing at a version whose files are gone, under a running page."""
    advisor = Advisor(Settings(advisor_home=breakable_home, today=TODAY, _env_file=None))
    handler = ChatHandler(advisor)
    current = breakable_home / "index" / "current.json"
    good = current.read_text(encoding="utf-8")
    current.write_text(json.dumps({**json.loads(good), "version": "0000deadbeef"}), encoding="utf-8")
    time.sleep(VERSION_CHECK_SECONDS + 0.1)  # the advisor looks at current.json at most once a second

    messages, turns, records, _ = run(handler, "洪山区中小企业买算力有补贴吗")[-1]
    assert FAILURE_MESSAGE in messages[-1]["content"]
    assert "Traceback" not in messages[-1]["content"] and "deadbeef" not in messages[-1]["content"]
    assert turns == [] and records == {}

    current.write_text(good, encoding="utf-8")  # the index is repaired: the same page answers again
    time.sleep(VERSION_CHECK_SECONDS + 0.1)
    messages, turns, records, _ = run(handler, "洪山区中小企业买算力有补贴吗", messages, turns, records)[-1]
    assert "20 万元" in messages[-1]["content"] and len(messages) == 4


def test_answers_computed_at_once_each_get_their_own_sources(handler, settings):
    """The page answers QUEUE_CONCURRENCY questions at the same time on one advisor."""
    from concurrent.futures import ThreadPoolExecutor

    asked = {
        "洪山区中小企业买算力有补贴吗": "hongshan-ai-2025",
        "OPC每年有多少免费卡时": "wuhan-opc-2026",
        "试验区的创投补助是多少": "wuhan-ai-pilot-zone",
        "大模型通过备案有奖励吗？": "hongshan-ai-2025",
    }
    questions = list(asked) * 2
    with ThreadPoolExecutor(max_workers=settings.queue_concurrency) as pool:
        finals = list(pool.map(lambda q: run(handler, q)[-1], questions))
    for question, (messages, turns, records, _) in zip(questions, finals):
        assert turns[-1]["question"] == question
        assert records[1]["citations"][0]["doc_id"] == asked[question], question
