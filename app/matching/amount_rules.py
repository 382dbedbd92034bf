"""Apply a provision's amount rule to a founder's figures: rate × base with caps, per unit
within a yearly cap, per square metre, tiers with the difference on promotion.

Every result keeps its working (the formula, the raw amount, the cap applied) so an
answer can show it, and `ceiling` says whether the text sets a maximum ("最多可获")
rather than a fixed sum ("可获").
"""

from __future__ import annotations

from pydantic import BaseModel, computed_field

from app.matching.founder_profile import Activity
from ingest.provisions import Provision, Tier


class Calculation(BaseModel):
    formula: str  # e.g. "40万元 × 50% = 20万元"
    raw_wan: float
    cap_wan: float | None  # the ceiling that applied, if any
    cap_label: str | None  # which ceiling: 最高, 每年最高 …
    result_wan: float
    ceiling: bool  # the text sets a maximum: say "最多可获"

    @computed_field(description="The figure went over a ceiling and was cut to it.")
    @property
    def capped(self) -> bool:
        return self.cap_wan is not None and self.raw_wan > self.cap_wan

    @computed_field(description="What the founder may get, e.g. 最多可获20万元 (the text sets a ceiling) or 可获30万元.")
    @property
    def conclusion(self) -> str:
        return f"{'最多可获' if self.ceiling else '可获'}{wan(self.result_wan)}"


def wan(value: float) -> str:
    """12.0 → '12万元', 0.35 → '0.35万元'."""
    return f"{round(value, 4):g}万元"


def _capped(formula: str, raw: float, caps: list[tuple[str, float | None]], ceiling: bool) -> Calculation:
    applicable = [(label, cap) for label, cap in caps if cap is not None]
    label, cap = min(applicable, key=lambda item: item[1]) if applicable else (None, None)
    result = min(raw, cap) if cap is not None else raw
    return Calculation(formula=formula, raw_wan=raw, cap_wan=cap, cap_label=label, result_wan=result, ceiling=ceiling or cap is not None)


def _tier(tiers: list[Tier], level: str | None) -> Tier | None:
    if not level:
        return None
    return next((t for t in tiers if t.level.strip("“”") in level or level in t.level), None)


def _tiered(provision: Provision, activity: Activity) -> Calculation | None:
    reached = _tier(provision.tiers, activity.level)
    if reached is None:
        return None
    earlier = _tier(provision.tiers, activity.previous_level)
    if earlier is not None and provision.tier_difference and earlier.amount_wan < reached.amount_wan:
        difference = reached.amount_wan - earlier.amount_wan
        formula = f"{reached.level}{wan(reached.amount_wan)} − {earlier.level}{wan(earlier.amount_wan)} = {wan(difference)}（逐级认定的给予差额奖励）"
        return Calculation(formula=formula, raw_wan=difference, cap_wan=None, cap_label=None, result_wan=difference, ceiling=False)
    return Calculation(formula=f"{reached.level}：{wan(reached.amount_wan)}", raw_wan=reached.amount_wan, cap_wan=None,
                       cap_label=None, result_wan=reached.amount_wan, ceiling=False)


def _caps(provision: Provision) -> list[tuple[str, float | None]]:
    return [("最高", provision.cap_wan), ("每年最高", provision.cap_per_year_wan)]


def calculate(provision: Provision, activity: Activity | None) -> Calculation | None:
    """The amount the founder's figures give under this provision, or None when they give none."""
    if provision.tiers:
        return _tiered(provision, activity) if activity else None
    if provision.rate_percent is not None:
        if activity is None or activity.amount_wan is None:
            return None
        raw = activity.amount_wan * provision.rate_percent / 100
        formula = f"{wan(activity.amount_wan)} × {provision.rate_percent:g}% = {wan(raw)}"
        return _capped(formula, raw, _caps(provision), ceiling=False)
    if provision.amount_wan is not None and provision.per_unit:
        if provision.per_unit == "每平方米":
            if activity is None or activity.area_m2 is None:
                return None
            raw = activity.area_m2 * provision.amount_wan
            formula = f"{activity.area_m2:g}平方米 × {provision.amount_wan * 10000:g}元 = {wan(raw)}"
            return _capped(formula, raw, _caps(provision), ceiling=False)
        if activity is None or activity.count is None:
            return None
        raw = activity.count * provision.amount_wan
        formula = f"{activity.count} × {wan(provision.amount_wan)}（{provision.per_unit}）= {wan(raw)}"
        return _capped(formula, raw, _caps(provision), ceiling=False)
    if provision.amount_wan is not None and activity is not None:  # without figures, the rule already says it
        return Calculation(formula=wan(provision.amount_wan), raw_wan=provision.amount_wan, cap_wan=None, cap_label=None,
                           result_wan=provision.amount_wan, ceiling=False)
    return None


def headline_wan(provision: Provision, calculation: Calculation | None) -> float | None:
    """The amount to compare provisions by (就高): the computed one, else the fixed amount or ceiling."""
    if calculation is not None:
        return calculation.result_wan
    candidates = [provision.amount_wan, provision.cap_wan, max((t.amount_wan for t in provision.tiers), default=None)]
    return next((c for c in candidates if c is not None), None)
