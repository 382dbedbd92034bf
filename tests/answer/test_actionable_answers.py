"""The founder examples of the actionable-answers issue, through the real advisor (real index,
jieba, embeddings): who handles it, what the text does not say, several questions at once,
refusals decided by subject, expired policies pointing to what is in force, the answer's language,
and the service desk."""

from __future__ import annotations

import pytest

from app.advisor import Advisor
from app.answer import phrases


def cited(result) -> list[tuple[str, str]]:
    return [(c.doc_id, c.clause) for c in result.citations]


def test_who_handles_the_compute_voucher_leads_the_answer(advisor):
    result = advisor.ask("算力券怎么申请，找哪个部门？")
    assert result.answer.startswith("负责部门：市数据局、市经信局。")
    assert ("wuhan-opc-2026", "一、强化算力服务支撑") in cited(result)


def test_every_cited_clause_names_its_units_in_the_text(advisor):
    result = advisor.ask("区里的算力补贴归哪个单位管？")
    assert "区经科局" in result.answer.split("[1]")[0] or result.answer.startswith("负责部门：区经科局")
    assert "责任单位：区经科局" in result.answer


def test_materials_the_text_does_not_list_are_said_to_be_unspecified(advisor):
    result = advisor.ask("大模型备案奖励需要什么材料？")
    assert "政策原文未列明申报材料，具体以区经科局发布的申报通知为准。" in result.answer
    assert ("hongshan-ai-2025", "六、增强模型创新能力") in cited(result)
    assert "营业执照" not in result.answer


def test_six_questions_in_one_message_are_answered_in_order(advisor):
    message = (
        "我是刚来武汉的OPC创业者，想问几个问题：算力费用能补多少？租房有没有优惠？能贷到款吗？"
        "OPC有什么创业资助？有没有应用场景可以对接？这些政策到什么时候截止？"
    )
    result = advisor.ask(message)
    headings = [line for line in result.answer.splitlines() if line.startswith("问题")]
    assert len(headings) == 6 and headings[1] == "问题2：租房有没有优惠？"
    order = [result.answer.index(h) for h in headings]
    assert order == sorted(order)
    clauses = {clause for _, clause in cited(result)}
    assert {"一、强化算力服务支撑", "四、构建人才“引育用留”体系", "九、强化科技金融支撑", "六、提供创业启动支持", "八、加大场景资源开放"} <= clauses
    assert [c.ref for c in result.citations] == list(range(1, len(result.citations) + 1))
    assert "政策原文未列明申报时间和截止日期" in result.answer


def test_english_two_part_question_gets_both_parts_in_english(advisor):
    result = advisor.ask("OPC can get what help with computing costs, and is there a housing subsidy too?")
    assert result.answer.startswith("You asked 2 questions")
    assert not result.refused
    assert {("wuhan-opc-2026", "一、强化算力服务支撑"), ("wuhan-opc-2026", "四、构建人才“引育用留”体系")} <= set(cited(result))


def test_parts_past_the_limit_are_named(settings, advisor):
    limited = Advisor(settings.model_copy(update={"max_question_parts": 2}), index=advisor.index)
    result = limited.ask("算力能补多少？人才住房有补贴吗？能贷款吗？")
    assert "一次最多回答 2 个问题，以下问题还没有回答，请另行提问：能贷款吗？" in result.answer


@pytest.mark.parametrize("question", ["市里对直播带货公司有没有扶持？", "洪山区的奶茶店有补贴吗", "武汉市对养猪场有什么扶持政策？"])
def test_an_industry_the_documents_do_not_address_is_refused(advisor, question):
    result = advisor.ask(question)
    assert result.refused and result.answer.startswith(phrases.REFUSAL_ZH) and result.citations == []


def test_an_ai_question_about_another_industry_is_answered(advisor):
    result = advisor.ask("我们OPC给新能源汽车做自动驾驶的垂直模型，能申请市里的模型补助吗？")
    assert not result.refused
    assert ("wuhan-opc-2026", "三、支持模型工具研发应用") in cited(result)


def test_the_old_policy_points_to_the_policies_in_force(advisor):
    result = advisor.ask("试验区的那个老政策还能用吗？")
    assert "已失效" in result.answer and "2023年12月31日" in result.answer
    assert "现行有效的相关政策：" in result.answer
    assert {("hongshan-ai-2025", "附则"), ("wuhan-opc-2026", "附则")} <= set(cited(result))
    in_force = result.answer.split("现行有效的相关政策：")[1]
    assert "2027 年 12 月 31 日" in in_force and "2028年12月31日" in in_force


def test_an_expired_subject_points_to_the_in_force_clauses_on_it(advisor):
    result = advisor.ask("试验区政策里的应用示范场景补贴现在还能申请吗？")
    assert {("wuhan-opc-2026", "八、加大场景资源开放"), ("hongshan-ai-2025", "九、推动应用场景创新")} <= set(cited(result))


def test_markup_in_a_chinese_question_does_not_make_the_answer_english(advisor):
    result = advisor.ask("<img src=x onerror=alert(1)> 算力补贴")
    assert not result.refused and result.answer.startswith("根据《")
    assert "Here is what" not in result.answer


def test_the_service_desk_appears_after_a_refusal_and_on_request(settings, advisor):
    desk = {"service_contact_name": "洪山区企业服务中心", "service_contact_phone": "027-87654321"}
    with_desk = Advisor(settings.model_copy(update=desk), index=advisor.index)
    line = "如需人工咨询：洪山区企业服务中心，电话 027-87654321。"
    assert with_desk.ask("洪山区的奶茶店有补贴吗").answer.endswith(line)
    assert with_desk.ask("能转人工吗").answer == line
    assert line in with_desk.ask("算力券怎么申请，找哪个部门？").answer
    assert line not in with_desk.ask("OPC使用算力服务能补贴多少？").answer
    assert advisor.ask("能转人工吗").answer == "本助手未配置人工服务联系方式，请联系政策条款中列明的责任单位。"
