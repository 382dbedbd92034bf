"""The function behind the 政策匹配 tab: the form's fields → a profile → the advisor's match → result cards.

Whatever goes wrong becomes a polite line in the result area; the page keeps working.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape

from pydantic import ValidationError

from app.advisor import Advisor
from app.matching.founder_profile import Activity, FounderProfile
from app.web.match_cards import match_cards
from policy_core.errors import AdvisorError

log = logging.getLogger(__name__)

UNKNOWN_DISTRICT = "不确定"
OTHER_DISTRICT = "其他区"
CHOOSE_IDENTITY = "请至少勾选一种身份，再点“开始匹配”。"
FAILURE = "抱歉，这次匹配时出了问题，请稍后再试。"


@dataclass(frozen=True)
class FigureField:
    """One number field of the form: its label, and the activity figure it fills."""

    label: str
    purpose: str
    figure: str  # amount_wan | count | area_m2


FIGURE_FIELDS = [
    FigureField("算力服务支出（万元）", "算力服务", "amount_wan"),
    FigureField("模型研发成本（万元）", "模型研发", "amount_wan"),
    FigureField("场景项目总投入（万元）", "应用场景", "amount_wan"),
    FigureField("通过备案的模型（个）", "模型备案", "count"),
    FigureField("购房面积（平方米）", "购房", "area_m2"),
]


def profile_from_form(identities: list[str], district: str | None, figures: list[float | None], include_expired: bool) -> FounderProfile:
    """The profile the form describes; empty or zero fields give no figure."""
    activities: dict[str, dict] = {}
    for field, value in zip(FIGURE_FIELDS, figures):
        if value:
            number = int(value) if field.figure == "count" else float(value)
            activities.setdefault(field.purpose, {})[field.figure] = number
    where = None if district in (None, "", UNKNOWN_DISTRICT) else district
    return FounderProfile(
        identities=identities,
        district=where,
        include_expired=include_expired,
        activities=[Activity(purpose=purpose, **values) for purpose, values in activities.items()],
    )


def _notice(text: str) -> str:
    return f'<div class="pa-error">{escape(text)}</div>'


class MatchHandler:
    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor

    def run(self, identities: list[str], district: str | None, include_expired: bool, *figures: float | None) -> str:
        if not identities:
            return _notice(CHOOSE_IDENTITY)
        try:
            profile = profile_from_form(identities, district, list(figures), include_expired)
        except ValidationError:
            return _notice("填写的数字有误：请填写不小于 0 的数字。")
        try:
            return match_cards(self.advisor.match(profile))
        except AdvisorError as exc:
            log.error("matching %s failed: %s", profile.model_dump_json(), exc)
        except Exception:
            log.exception("matching %s failed", profile.model_dump_json())
        return _notice(FAILURE)
