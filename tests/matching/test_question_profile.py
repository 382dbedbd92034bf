"""Reading a founder's profile from a question's words: who, where, what, and figures however written."""

from __future__ import annotations

import tomllib

import pytest

from app.matching.question_profile import WORDS_FILE, parse_amount_wan, read_question, resolve_purpose
from ingest.provisions import BENEFICIARIES, FORMS, PURPOSES


def test_the_vocabulary_names_only_known_identities_purposes_and_forms():
    words = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
    assert set(words["identities"]) <= set(BENEFICIARIES)
    assert set(words["purposes"]) <= PURPOSES and {p for f in words["families"].values() for p in f} <= PURPOSES
    assert {f for group in words["form_groups"].values() for f in group} <= FORMS
    assert set(words["forms"]) == set(words["form_groups"])


@pytest.mark.parametrize(
    "question, wan",
    [
        ("我们OPC今年在算力上花了40万，市里能补多少？", 40),
        ("买了30万元算力服务", 30),
        ("算力采购支出 30 万", 30),
        ("用了300000元的算力", 30),
        ("I spent 300,000 yuan on compute", 30),
        ("算力投入了300，000元", 30),
        ("去年算力开销十万块", 10),
    ],
)
def test_amounts_are_read_however_written_after_a_spending_word(question, wan):
    activity = read_question(question).profile.activity("算力服务")
    assert activity is not None and activity.amount_wan == pytest.approx(wan)


def test_a_bare_number_is_not_a_cost():
    assert read_question("算力补贴最高20万元吗？").profile.activities == []


def test_the_issue_questions_give_their_profiles():
    small = read_question("我在洪山区开了家做AI质检的小公司，有什么政策能用上？")
    assert (small.profile.identities, small.profile.district, small.identities_stated) == (["中小企业"], "洪山区", True)
    assert "洪山" not in small.named_text  # where they are registered does not narrow the policies
    promoted = read_question("省级首版次拿过奖励后又进了国家级目录，还能补多少？").profile.activity("首版次软件")
    assert (promoted.level, promoted.previous_level) == ("国家级", "省级")
    told_apart = read_question("先入选了省级首版次，拿了20万，今年又进了国家级目录，这次能拿多少？").profile.activity("首版次软件")
    assert (told_apart.level, told_apart.previous_level) == ("国家级", "省级")
    bought = read_question("本地化部署大模型，模型采购花了300万元，能补多少？").profile.activity("模型应用")
    assert bought.amount_wan == 300
    assert read_question("省级科技项目拨了300万元经费").profile.activity("科技项目").amount_wan == 300
    models = read_question("2个大模型通过了网信办备案，能拿多少？").profile.activity("模型备案")
    assert models.count == 2
    home = read_question("OPC创始人买了120平方米的房子").profile
    assert home.activity("购房").area_m2 == 120 and {"OPC", "人才"} <= set(home.identities)


def test_who_where_and_topic_words():
    operator = read_question("想在洪山办AI孵化器或者产业园区，能拿到什么支持？")
    assert operator.profile.identities == ["运营方"] and operator.profile.district == "洪山区"
    assert {"孵化器", "产业园区", "生态社区"} <= set(operator.purposes)  # a family: the places an operator runs
    founder = read_question("我是刚毕业的博士，想在武汉开一家一人AI公司，能享受哪些政策？").profile
    assert set(founder.identities) == {"OPC", "人才", "初创企业"} and founder.activities == []
    money = read_question("OPC能拿到哪些补贴，都列出来")
    assert "券" in money.forms and "贷款" not in money.forms and money.purposes == []
    assert read_question("有什么政策").profile.identities == ["企业"]


def test_flags_and_form_fields_use_the_same_words():
    assert resolve_purpose("算力") == "算力服务" and resolve_purpose("模型备案") == "模型备案"
    assert [parse_amount_wan(t) for t in ("40", "40万", "400000元", "300,000 yuan")] == [40, 40, 40, 30]
    with pytest.raises(ValueError, match="unknown purpose"):
        resolve_purpose("吃饭")
