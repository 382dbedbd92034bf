"""Starter and follow-up questions come from the reviewed provisions of policies in force, and each is answered."""

from __future__ import annotations


def test_starters_name_benefits_of_each_policy_in_force_and_are_answered(advisor) -> None:
    starters = advisor.starter_questions()
    assert 3 <= len(starters) <= 4 and len(set(starters)) == len(starters)
    assert any(q.startswith("洪山区") for q in starters) and any(q.startswith("武汉市") for q in starters)
    assert not any("试验区" in q for q in starters)  # the expired policy offers nothing to apply for
    for question in starters:
        result = advisor.ask(question)
        assert not result.refused and result.citations, question


def test_follow_ups_come_from_what_the_answer_cites_and_leave_out_what_it_quoted(advisor) -> None:
    result = advisor.ask("OPC创业者租房有什么优惠")
    assert 2 <= len(result.suggestions) <= 3
    assert all(q.startswith("武汉市") for q in result.suggestions)  # the cited policy's other benefits
    assert not any("租" in q for q in result.suggestions)  # the rent benefit was the answer itself
    follow = advisor.ask(result.suggestions[0])
    assert not follow.refused and {c.doc_id for c in follow.citations} == {"wuhan-opc-2026"}


def test_a_refusal_suggests_nothing(advisor) -> None:
    result = advisor.ask("讲个笑话")
    assert result.refused and result.suggestions == []
