"""A follow-up with no earlier turn ("那洪山区呢？" as the first message) is read as a question about the
place it names, or the founder is asked what they mean; it is never refused as out of scope."""

from __future__ import annotations

from app.answer.phrases import CLARIFY_ZH, CONTEXT_LOST_ZH, REFUSAL_ZH


def test_first_message_naming_a_district_is_answered_about_that_district(advisor) -> None:
    result = advisor.ask("那洪山区呢？")
    assert not result.refused and REFUSAL_ZH not in result.answer
    assert result.resolved_question == "洪山区有哪些支持政策"
    assert result.answer.startswith("下面按“洪山区有哪些支持政策”回答。")
    assert {c.doc_id for c in result.citations} == {"hongshan-ai-2025"}


def test_first_message_naming_nothing_asks_what_the_founder_means(advisor) -> None:
    result = advisor.ask("那这个呢？")
    assert not result.refused and result.citations == []
    assert result.answer == CLARIFY_ZH.format(question="那这个呢？")


def test_lost_conversation_is_named_before_the_answer(advisor) -> None:
    result = advisor.ask("那洪山区呢？", [], context_lost=True)
    assert result.answer.startswith(CONTEXT_LOST_ZH) and result.citations


def test_an_out_of_scope_question_is_still_refused(advisor) -> None:
    assert advisor.ask("讲个笑话").refused


def test_with_an_earlier_turn_the_follow_up_borrows_its_topic(advisor) -> None:
    from app.schemas import Turn

    result = advisor.ask("那市里呢？", [Turn(question="洪山区中小企业买算力有补贴吗")])
    assert "算力" in result.resolved_question and not result.answer.startswith("下面按")
