"""HTML for the 政策匹配 tab's results: one card per provision, grouped by policy, each with its clause's source card.

A card says what the provision is and how much (the rule, and the worked amount where the
form gave a figure), whether it applies (适用) or may apply (可能适用, with what to check),
who handles it, and the 就高不重复 note; under it, the same source card as a chat answer's
citation, so the founder can open the clause and see the sentence highlighted. Every text
is escaped where it is built and the fragment is sanitized on the way out.
"""

from __future__ import annotations

from html import escape

from app.matching.match_citations import sentence_span
from app.matching.provision_matcher import MatchedProvision, MatchResult, PolicyMatches
from app.matching.provision_wording import describe_rule, provision_label
from app.schemas import Citation
from app.web.html_sanitizer import sanitize
from app.web.source_cards import source_card
from app.web.status_badge import status_badge

NOTHING_FOUND = "没有找到与所选情况对应的政策条款。可以换个身份、选择注册区，或勾选“包含已失效政策”再试。"
CHECK_FIRST = "需确认："
EXPIRED_HEADING = "已失效政策（仅供了解，不能再据此申请）"
UPCOMING_HEADING = "尚未施行的政策"


def _verdict(item: MatchedProvision) -> str:
    css = "pa-verdict-yes" if item.verdict == "适用" else "pa-verdict-maybe"
    return f'<span class="pa-verdict {css}">{escape(item.verdict)}</span>'


def _item(item: MatchedProvision, citation: Citation | None) -> str:
    provision = item.provision
    rule = describe_rule(provision)
    parts = [
        f'<div class="pa-match-head"><span class="pa-match-label">{escape(provision_label(provision))}</span>{_verdict(item)}</div>',
        f'<div class="pa-match-rule">{escape(rule)}</div>' if rule else "",
    ]
    if item.calculation:
        calc = item.calculation
        parts.append(
            f'<div class="pa-match-calc"><span class="pa-match-formula">{escape(calc.formula)}</span>'
            f'<strong class="pa-match-amount">{escape(calc.conclusion)}</strong></div>'
        )
    if item.unsettled:
        parts.append(f'<div class="pa-match-check">{CHECK_FIRST}{escape("、".join(item.unsettled))}</div>')
    if provision.units:
        parts.append(f'<div class="pa-units">责任单位：{escape("、".join(provision.units))}</div>')
    if item.highest_only:
        parts.append(f'<div class="pa-match-note">{escape(item.highest_only.note)}</div>')
    if citation is not None:  # the clause's card, with this provision's own sentence highlighted
        span = sentence_span(provision, citation.text)
        parts.append(source_card(citation.model_copy(update={"highlights": [span] if span else citation.highlights})))
    return f'<div class="pa-match-item pa-match-{"yes" if item.verdict == "适用" else "maybe"}">{"".join(parts)}</div>'


def _group(group: PolicyMatches, citations: dict[int, Citation]) -> str:
    items = "".join(_item(item, citations.get(item.ref or 0)) for item in group.items)
    return (
        f'<section class="pa-match-policy pa-match-policy-{escape(group.status)}">'
        f'<h3>《{escape(group.title)}》{status_badge(group.status)}</h3>'
        f'<div class="pa-match-count">{len(group.items)} 项</div>{items}</section>'
    )


def match_cards(result: MatchResult) -> str:
    """The whole result; a friendly line when nothing matched."""
    if not result.groups():
        return sanitize(f'<div class="pa-match-empty">{escape(NOTHING_FOUND)}</div>')
    citations = {c.ref: c for c in result.citations}
    sections = [_group(g, citations) for g in result.policies]
    for heading, groups in ((UPCOMING_HEADING, result.upcoming), (EXPIRED_HEADING, result.expired)):
        if groups:
            sections.append(f'<div class="pa-warning">{escape(heading)}</div>')
            sections.extend(_group(g, citations) for g in groups)
    total = len(result.items())
    summary = f'<div class="pa-match-summary">共找到 {total} 项支持，点开每项下方的条款可看原文。</div>'
    return sanitize(f'<div class="pa-match-result">{summary}{"".join(sections)}</div>')
