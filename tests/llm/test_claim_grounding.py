"""The claim check on its own and through the advisor: values compared as values, places and units against the sources."""

from __future__ import annotations

import pytest

from app.answer.claim_grounding import ClaimGrounder
from app.answer.fact_values import extract_facts
from tests.llm.fake_openai_server import Reply
from tests.llm.test_llm_answers import run

OPC_SOURCE = (
    "[1] 《武汉市支持人工智能OPC创新发展若干措施》\n条款：三、算力\n状态：现行有效（2026年3月18日起施行，有效期至2028年12月31日）\n"
    "原文：对OPC使用算力服务的，按实际费用的50%给予补助，最高20万元，补助期限不超过三年。（责任单位：市数据局）"
)


@pytest.mark.parametrize(
    ("sentence", "grounded"),
    [
        ("最高可获200000元 [1]。", True),
        ("最高可获二十万元 [1]。", True),
        ("按费用的百分之五十补助 [1]。", True),
        ("有效期至2028-12-31 [1]。", True),
        ("有效期至二〇二八年十二月三十一日 [1]。", True),
        ("补助期限最长36个月 [1]。", True),
        ("由武汉市数据局负责 [1]。", True),
        ("The subsidy is 50 percent, capped at 200,000 yuan [1].", True),
        ("最高可获30万元 [1]。", False),
        ("按费用的60%补助 [1]。", False),
        ("有效期至2029年12月31日 [1]。", False),
        ("由市人工智能促进局负责 [1]。", False),
        ("深圳也有类似补贴 [1]。", False),
        ("详见《深圳市人工智能产业扶持办法》 [1]。", False),
        ("最高可获20万元。", False),  # a fact without a citation
        ("以下是相关政策：", True),  # no fact: no citation needed
    ],
)
def test_sentences_are_checked_against_the_cited_source_by_value(sentence, grounded):
    result = ClaimGrounder({1: OPC_SOURCE}).ground(sentence)
    assert (result.text == sentence) is grounded, result.removed


def test_equal_values_written_differently_are_equal():
    assert extract_facts("20万").amounts == extract_facts("20万元").amounts == extract_facts("200000元").amounts == {200000.0}
    assert extract_facts("50%").rates == extract_facts("百分之五十").rates == {50.0}
    assert extract_facts("2028年12月31日").dates == extract_facts("2028-12-31").dates == {"2028-12-31"}


def test_the_advisor_may_state_its_own_facts_without_a_citation():
    grounder = ClaimGrounder({1: OPC_SOURCE}, ["按此计算：100万元 × 50% = 50万元，超过上限20万元，可获20万元。"])
    assert grounder.ground("按此计算可获20万元。").text == "按此计算可获20万元。"
    assert grounder.ground("可获50万元的一半。深圳另有奖励。").text == "可获50万元的一半。"


def test_the_issue_examples_lose_their_invented_sentences(llm_advisor, fake_llm):
    question = "OPC使用算力服务能补贴多少？"
    fake_llm.script(Reply("OPC可获最高20万元补助[1]。深圳市对AI企业还有500万元落户奖励，可以一并申请。"))
    deltas, result = run(llm_advisor, question)
    assert result.mode == "llm" and result.answer.startswith("OPC可获最高20万元补助[1]。")
    assert "深圳" not in result.answer and "500万" not in "".join(deltas)

    fake_llm.script(Reply("OPC可获最高20万元补助[1]。另外深圳也有补贴[9]。"))
    deltas, result = run(llm_advisor, question)
    assert result.mode == "llm" and "深圳" not in result.answer and "深圳" not in "".join(deltas)


def test_an_answer_left_without_its_amount_gives_the_extractive_answer(llm_advisor, fake_llm, advisor):
    question = "OPC使用算力服务能补贴多少？"
    fake_llm.script(Reply("可以申请 [1]。OPC可获最高999万元补助 [1]。"))
    _, result = run(llm_advisor, question)
    assert result.mode == "extractive" and result.answer == advisor.ask(question).answer
