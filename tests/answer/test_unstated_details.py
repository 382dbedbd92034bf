"""What the text does not say: asked details, settled by a clause or stated as not specified."""

from __future__ import annotations

from app.answer.who_handles import asks_who_handles, lead_line, units_line
from app.answer.service_contact import ServiceContact, asks_for_person, contact_line
from app.answer.unstated_details import asked_details, unstated_details, unstated_note

AWARD = "对通过备案的企业，按每个模型 100 万元给予企业支持，同一企业每年最高不超过 200 万元。"
NOTICE = "市科创局每年发布OPC生态社区认定通知,明确申报时间、材料要求及流程。"


def test_materials_question_against_a_clause_that_lists_none():
    missing = unstated_details("大模型备案奖励需要什么材料？", [AWARD])
    assert [d.name for d in missing] == ["materials"]
    assert unstated_note(missing, ["区经科局"], english=False) == "政策原文未列明申报材料，具体以区经科局发布的申报通知为准。"


def test_a_clause_that_gives_the_detail_settles_it():
    assert unstated_details("生态社区申报材料要准备哪些？", [NOTICE]) == []


def test_several_details_and_no_units():
    missing = unstated_details("申报流程是什么，截止时间是哪天？", [AWARD])
    assert {d.name for d in missing} == {"deadline", "procedure"}
    assert unstated_note(missing, [], english=False).endswith("具体以主管部门发布的申报通知为准。")


def test_english_note_and_plain_questions():
    assert asked_details("OPC使用算力服务能补贴多少？") == []
    note = unstated_note(unstated_details("What documents do I need for the model filing award?", [AWARD]), ["区经科局"], english=True)
    assert note.startswith("The policy text does not specify the application materials") and "区经科局" in note


def test_who_handles_questions_and_lines():
    assert asks_who_handles("算力券怎么申请，找哪个部门？")
    assert asks_who_handles("区里的算力补贴归哪个单位管？")
    assert asks_who_handles("Which department handles the compute voucher?")
    assert not asks_who_handles("OPC使用算力服务能补贴多少？")
    assert units_line(["市数据局", "市经信局"], english=False) == "责任单位：市数据局、市经信局"
    assert lead_line([], english=False) == "政策原文未列明负责部门。"


def test_service_contact_is_never_invented():
    assert asks_for_person("能转人工吗") and asks_for_person("I want to talk to a person")
    assert contact_line(ServiceContact(), english=False) == ""
    desk = ServiceContact(name="洪山区企业服务中心", phone="027-12345678", hours="工作日 9:00-17:00")
    assert contact_line(desk, english=False) == "如需人工咨询：洪山区企业服务中心，电话 027-12345678，时间：工作日 9:00-17:00。"
