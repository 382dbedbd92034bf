"""Overview answers: "我是…，能享受哪些政策？" answered as a list built from the reviewed provisions.

A founder asking what is available wants every benefit that may apply, not the one
clause that matches their words best. The question's own words give the profile (OPC,
洪山, 中小企业, 初创 …) and the topic (算力, 补贴 …); matching gives the provisions in
force; the answer lists one line per provision — what, how much, who handles it, [n] —
grouped by policy, each [n] the clause it comes from with the provision's sentence
highlighted. Nothing is generated: the lines are the reviewed fields of the provisions.
"""

from __future__ import annotations

import datetime as dt
import re

from app.answer.extractive_answerer import AnswerDraft
from app.answer.scope_guard import rule_violation, subject_tokens
from app.matching.provision_matcher import MatchedProvision, MatchResult, PolicyMatches
from app.matching.provision_wording import describe_rule, provision_label
from app.matching.question_profile import QuestionProfile, profile_words, read_question
from app.matching.snapshot_match import match_snapshot, named_policies, on_topic
from app.retrieval.policy_index import IndexSnapshot
from app.retrieval.query_analyzer import PolicyNames, QueryAnalysis, analyze

# "Which ones" asks for a list whatever else the question names ("在算力和数据上能拿哪些支持").
_ASKS_LIST = re.compile(
    r"哪些(?:政策|支持|补贴|补助|扶持|优惠|措施|资金|资助|奖励|福利|帮助)"
    r"|(?:政策|支持|补贴|补助|扶持|优惠|福利|措施|资助|奖励)都?有哪些"
    r"|能享受|可以享受|(?:政策|什么|哪些|啥)\w{0,4}能用上|都列出来|列出来|列一下|列个|列举|清单|汇总|一览"
    r"|which (?:support|subsidies|policies|benefits)|list (?:it|them|all)",
    re.IGNORECASE,
)
# "What support" asks for a list only when it names no subject of its own: "OPC有什么支持" lists,
# "OPC创业者租人才公寓有什么优惠" asks about one benefit and is answered from its clause.
_ASKS_WHAT = re.compile(
    r"(?:什么|啥)(?:政策|支持|补贴|扶持|优惠|福利)|(?:政策|支持|补贴|补助|扶持|优惠|福利|措施|资助|奖励)都?有(?:什么|啥)"
    r"|what (?:support|subsidies|policies|benefits|help)",
    re.IGNORECASE,
)
_BENEFICIARY_NOTE = re.compile(r"对象为“(.+)”")

LEAD_ZH = "根据您说的情况（{who}），现行有效的政策中可以关注以下支持："
LEAD_PLAIN_ZH = "现行有效的政策中可以关注以下支持："
CLOSE_ZH = "以上按政策原文逐项整理，是否符合以条款所列条件为准，点开编号可看原文。"
HIGHEST_ONLY_ZH = "同类支持按“就高不重复”原则执行，不能重复享受。"
LEAD_EN = "Support in force that fits what you describe{who}, by policy (terms quoted in Chinese):"
CLOSE_EN = "Whether you qualify depends on the conditions in each clause; open [n] to read it."
HIGHEST_ONLY_EN = "Where policies overlap for the same item, the rule is 「就高不重复」: you get the higher one, not both."


def asks_overview(question: str) -> bool:
    """Whether the question asks what is available ("能享受哪些政策", "有哪些支持", "列一下", "what support …")."""
    if _ASKS_LIST.search(question):
        return True
    return bool(_ASKS_WHAT.search(question)) and not _names_a_subject(question)


def _names_a_subject(question: str) -> bool:
    """A purpose the provisions know (算力, 租房 …) or another subject word, once who the founder is
    and where they are registered are set aside."""
    words = profile_words()
    if read_question(question).purposes:
        return True
    rest = question
    for patterns in words.identities.values():
        for pattern in patterns:
            rest = pattern.sub(" ", rest)
    for district in words.districts:
        rest = rest.replace(district, " ")
    return bool(subject_tokens(analyze(rest, PolicyNames({}, {}, frozenset()))))


def _condition_words(note: str) -> str:
    """An unsettled word as a condition to read: 对象为“OPC” → 如属OPC, 注册在洪山区 → 如注册在洪山区."""
    if beneficiary := _BENEFICIARY_NOTE.fullmatch(note):
        return f"如属{beneficiary.group(1)}"
    return f"如{note}"


def _shared_notes(group: PolicyMatches) -> list[str]:
    """The profile's unsettled words common to every provision of the group (not quoted conditions)."""
    notes = [{n for n in item.unsettled if not n.startswith("“")} for item in group.items]
    shared = set.intersection(*notes) if notes else set()
    return [n for n in group.items[0].unsettled if n in shared]


def short_units(units: list[str], most: int = 3) -> str:
    """The responsible units, the first two and 等 when there are more than `most` (a phone line is short)."""
    return "、".join(units) if len(units) <= most else "、".join(units[:2]) + "等"


def _line(item: MatchedProvision, shared: list[str], english: bool) -> str:
    provision = item.provision
    rule = describe_rule(provision)
    own = [_condition_words(n) for n in item.unsettled if not n.startswith("“") and n not in shared]
    units = short_units(provision.units)
    if english:
        rule_part = f": 「{rule}」" if rule else ""
        extra = "; ".join(filter(None, [units, *own]))
        return f"- 「{provision_label(provision)}」{rule_part}" + (f" ({extra})" if extra else "") + f" [{item.ref}]"
    extra = "；".join(filter(None, [*own, units]))
    return f"· {provision_label(provision)}" + (f"：{rule}" if rule else "") + (f"（{extra}）" if extra else "") + f" [{item.ref}]"


def _heading(group: PolicyMatches, shared: list[str], english: bool) -> str:
    if not shared:
        return f"《{group.title}》"
    notes = "，".join(_condition_words(n) for n in shared)
    return f"《{group.title}》（{notes}）"


def _who(question: QuestionProfile) -> str:
    profile = question.profile
    parts = list(profile.identities) if question.identities_stated else []
    if profile.district:
        parts.append(profile.district)
    return "、".join(parts)


def compose_overview(question: QuestionProfile, result: MatchResult, english: bool) -> str:
    who = _who(question)
    if english:
        lines = [LEAD_EN.format(who=f" ({who})" if who else "")]
    else:
        lines = [LEAD_ZH.format(who=who) if who else LEAD_PLAIN_ZH]
    for group in result.policies:
        shared = _shared_notes(group)
        lines.append("\n" + _heading(group, shared, english))
        lines.extend(_line(item, shared, english) for item in group.items)
    closing = [CLOSE_EN if english else CLOSE_ZH]
    if any(item.highest_only for item in result.items()):
        closing.append(HIGHEST_ONLY_EN if english else HIGHEST_ONLY_ZH)
    lines.append("\n" + (" " if english else "").join(closing))
    return "\n".join(lines)


def overview_draft(analysis: QueryAnalysis, snapshot: IndexSnapshot, today: dt.date) -> AnswerDraft | None:
    """The overview answer of a question that asks what is available, or None when it does not ask
    that or no provision in force applies (the caller then answers as usual)."""
    if not asks_overview(analysis.question) or rule_violation(analysis.question):
        return None
    question = read_question(analysis.question)
    result = match_snapshot(snapshot, question.profile, today, named_policies(question, snapshot, today), on_topic(question), True)
    if not result.policies:
        return None
    return AnswerDraft(compose_overview(question, result, analysis.english), result.citations, False)
