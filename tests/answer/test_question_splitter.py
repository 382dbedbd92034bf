"""Splitting a message into its questions: question marks, numbers, connectors, topic lists, English "and"."""

from __future__ import annotations

import pytest

from app.question_splitter import split_question


@pytest.mark.parametrize(
    "message",
    [
        "OPC使用算力服务能补贴多少？",
        "我们OPC今年在算力上花了40万，市里能补多少？",
        "算力补贴、数据集奖励这两个能同时拿吗？",
        "那洪山区呢？",
        "OPC 申请算力券、住房补贴和贷款要找哪些部门？",
    ],
)
def test_a_single_question_stays_whole(message):
    parts = split_question(message, max_parts=6)
    assert parts.parts == [message] and not parts.several


def test_question_marks_and_followup_fragments():
    assert split_question("算力券怎么申请？租房呢？", 6).parts == ["算力券怎么申请？", "租房呢？"]


def test_connectors_are_split_and_dropped():
    parts = split_question("算力补贴多少，另外住房补贴有没有，以及贷款贴息怎么算？", 6).parts
    assert parts == ["算力补贴多少", "住房补贴有没有", "贷款贴息怎么算？"]


def test_numbered_questions_keep_the_profile_in_front_of_the_first():
    parts = split_question("我们是洪山区的一家OPC，想问几个问题：1. 算力有补贴吗 2. 租房有没有支持 3. 贷款能贴息吗", 6).parts
    assert parts == ["我们是洪山区的一家OPC，算力有补贴吗", "租房有没有支持", "贷款能贴息吗"]


def test_a_list_of_topics_asked_alike_becomes_one_question_each():
    parts = split_question("我是OPC创业者，算力、住房、贷款、场景、申报截止时间都想了解，分别有什么政策？", 6).parts
    assert parts == ["我是OPC创业者，算力有什么政策？", "住房有什么政策？", "贷款有什么政策？", "场景有什么政策？", "申报截止时间有什么政策？"]


def test_english_and_before_a_question_word():
    parts = split_question("OPC can get what help with computing costs, and is there a housing subsidy too?", 6).parts
    assert parts == ["OPC can get what help with computing costs", "is there a housing subsidy too?"]


def test_parts_past_the_limit_are_left_in_order():
    message = "算力能补多少？人才住房有补贴吗？能贷款吗？有场景项目支持吗？OPC社区怎么入驻？什么时候截止申报？"
    parts = split_question(message, max_parts=4)
    assert len(parts.parts) == 4 and parts.left == ["OPC社区怎么入驻？", "什么时候截止申报？"]
