"""Who handles a benefit: the responsible units a clause names, written into the answer itself.

The clauses end with （责任单位：区经科局） and the like; a founder should not
have to open a citation card to learn whom to contact. A question about who
handles it, where or how to apply leads with them.
"""

from __future__ import annotations

import re

_ASKS_WHO = re.compile(
    r"哪个部门|哪些部门|什么部门|哪个单位|哪些单位|什么单位|哪家单位|找谁|找哪|归谁|归哪|谁负责|谁管|哪里管|主管部门|负责部门|"
    r"责任单位|对接|向谁|去哪|在哪|哪里申请|哪里办|怎么申请|如何申请|怎么申报|如何申报|怎么办理|如何办理|"
    r"\bwho\b|which (?:department|office|agency|unit)|where (?:do|can|should) (?:i|we)|where to apply|how (?:do|can) (?:i|we) apply|how to apply",
    re.IGNORECASE,
)


def asks_who_handles(question: str) -> bool:
    return bool(_ASKS_WHO.search(question))


def units_line(units: list[str], english: bool) -> str:
    """"责任单位：市数据局、市经信局" (empty when the clause names none)."""
    if not units:
        return ""
    return f"Responsible units: {'、'.join(units)}" if english else f"责任单位：{'、'.join(units)}"


def lead_line(units: list[str], english: bool) -> str:
    """The opening line of an answer to "who handles it / how do I apply"."""
    if english:
        return f"Handled by: {'、'.join(units)}." if units else "The policy text does not name a responsible unit for this."
    return f"负责部门：{'、'.join(units)}。" if units else "政策原文未列明负责部门。"
