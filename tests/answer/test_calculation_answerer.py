"""Calculations from the provisions: the issue's shapes, against the real index."""

from __future__ import annotations

import pytest

from app.answer.calculation_answerer import calculation_draft
from tests.conftest import TODAY


def draft(advisor, question):
    return calculation_draft(advisor.retriever.analyze(question), advisor.index.snapshot(), TODAY)


def test_an_opc_spending_40_wan_on_compute_may_get_at_most_20_from_the_city(advisor):
    result = draft(advisor, "我们OPC今年在算力上花了40万，市里能补多少？")
    assert [(c.doc_id, c.clause) for c in result.citations] == [("wuhan-opc-2026", "一、强化算力服务支撑")]
    assert "按此计算：40万元 × 50% = 20万元，未超过最高20万元，最多可获20万元。 [1]" in result.text
    assert "可获20万元" not in result.text.replace("最多可获20万元", "")  # a ceiling stays a ceiling


def test_promotion_between_levels_pays_the_difference(advisor):
    result = draft(advisor, "省级首版次拿过奖励后又进了国家级目录，还能补多少？")
    assert "国家级50万元 − 省级20万元 = 30万元（逐级认定的给予差额奖励），可获30万元" in result.text


def test_two_filed_models_within_the_yearly_cap(advisor):
    result = draft(advisor, "我们在洪山，2个大模型通过了网信办备案，能拿多少？")
    assert "2 × 100万元（每个模型）= 200万元，未超过每年最高200万元，最多可获200万元" in result.text


def test_city_and_district_at_once_with_the_higher_one_named(advisor):
    result = draft(advisor, "市里和区里各能补多少？我们是洪山的中小企业，也是OPC，买算力用了 60 万")
    assert "60万元 × 20% = 12万元，未超过最高20万元，最多可获12万元" in result.text
    assert "60万元 × 50% = 30万元，超过最高20万元，最多可获20万元" in result.text
    assert "就高不重复" in result.text and "较高的是《武汉市支持人工智能OPC创新发展若干措施》" in result.text


@pytest.mark.parametrize("question", ["买了30万元算力服务能补多少", "算力用了300000元能补多少", "I spent 300,000 yuan on compute, how much can an OPC get?"])
def test_amounts_written_every_way(advisor, question):
    assert "15万元" in draft(advisor, question).text  # 30万 × 50% at the city


def test_unsettled_conditions_are_said_not_promised(advisor):
    result = draft(advisor, "OPC创始人买了120平方米的房子，能补多少")
    assert "120平方米 × 1000元 = 12万元，超过最高10万元，最多可获10万元" in result.text
    assert "适用条件：“OPC创始人及高管”" in result.text


@pytest.mark.parametrize("question", ["算力补贴最高多少？", "OPC能拿到哪些补贴", "我们花了40万，明年怎么办"])
def test_no_figure_or_no_rule_leaves_the_answer_to_the_usual_path(advisor, question):
    assert draft(advisor, question) is None
