"""Calculation answers from the provisions: "我们OPC今年在算力上花了40万，市里能补多少？".

The question's figures (amounts however written, counts, square metres, levels) and
profile words are matched to the provisions of what it asks about; each provision
whose rule the figures fill gives one quoted sentence and its working — rate × base
with the ceiling, per unit within the yearly cap, per square metre, the 差额 between
levels — across every policy the question names ("市里和区里各能补多少"). A ceiling in
the text stays a ceiling: "最多可获 X", never "可获 X".
"""

from __future__ import annotations

import datetime as dt

from app.answer.extractive_answerer import AnswerDraft
from app.answer.scope_guard import rule_violation
from app.matching.amount_rules import Calculation, wan
from app.matching.provision_matcher import MatchedProvision, MatchResult, PolicyMatches
from app.matching.question_profile import read_question
from app.matching.snapshot_match import match_snapshot, named_policies
from app.retrieval.policy_index import IndexSnapshot
from app.retrieval.query_analyzer import QueryAnalysis, asks_to_compute
from policy_core.responsible_units import without_units_tail

CONDITIONS_ZH = "（适用条件：{conditions}）"
CONDITIONS_EN = " (provided: {conditions})"


def _working_zh(calc: Calculation) -> str:
    if calc.cap_wan is None:
        return f"按此计算：{calc.formula}，{calc.conclusion}。"
    side = "超过" if calc.capped else "未超过"
    return f"按此计算：{calc.formula}，{side}{calc.cap_label}{wan(calc.cap_wan)}，{calc.conclusion}。"


def _working_en(calc: Calculation) -> str:
    outcome = f"at most {wan(calc.result_wan)}" if calc.ceiling else f"{wan(calc.result_wan)}"
    if calc.cap_wan is None:
        return f"Calculation: {calc.formula}, so you can get {outcome}."
    side = "above" if calc.capped else "within"
    return f"Calculation: {calc.formula}, {side} the ceiling of {wan(calc.cap_wan)}, so you can get {outcome}."


def _lines(group: PolicyMatches, item: MatchedProvision, english: bool) -> list[str]:
    provision, calc = item.provision, item.calculation
    assert calc is not None
    quote = without_units_tail(provision.sentence).strip()
    conditions = "、".join(item.unsettled)
    if english:
        head = f"According to 《{group.title}》, clause “{provision.clause}”: 「{quote}」 [{item.ref}]"
        tail = CONDITIONS_EN.format(conditions=f"「{conditions}」") if conditions else ""
        return [head, f"{_working_en(calc)}{tail} [{item.ref}]"]
    head = f"根据《{group.title}》“{provision.clause}”：{quote} [{item.ref}]"
    tail = CONDITIONS_ZH.format(conditions=conditions) if conditions else ""
    return [head, f"{_working_zh(calc)}{tail} [{item.ref}]"]


def compose_calculation(result: MatchResult, english: bool) -> str:
    lines: list[str] = []
    for group in result.policies:
        for item in group.items:
            lines.extend(_lines(group, item, english))
    if len(result.items()) > 1:  # the rule matters when the answer shows more than one source
        rules = [item.highest_only for item in result.items() if item.highest_only]
        lines.extend(dict.fromkeys(rule.note_en() if english else rule.note for rule in rules))
    return "\n\n".join(lines)


def calculation_draft(analysis: QueryAnalysis, snapshot: IndexSnapshot, today: dt.date) -> AnswerDraft | None:
    """The worked amounts of a how-much question that gives figures, from every provision in force the
    figures fill; None when it asks no amount, gives no figure, or no provision's rule takes it."""
    if not asks_to_compute(analysis.question) or rule_violation(analysis.question):
        return None
    question = read_question(analysis.question)
    if not question.has_figures:
        return None
    profile = question.profile.model_copy(update={"only_activities": True})
    result = match_snapshot(
        snapshot, profile, today, named_policies(question, snapshot, today), lambda item: item.calculation is not None, True
    )
    if not result.policies:
        return None
    return AnswerDraft(compose_calculation(result, analysis.english), result.citations, False)
