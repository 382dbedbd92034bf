"""A provision in words, for a list a founder reads on a phone: what it is, and its amount rule."""

from __future__ import annotations

from app.matching.amount_rules import wan
from ingest.provisions import Provision

# Most forms read after the purpose as they stand (算力服务 + 券 → 算力服务券); these read
# better shortened, in front, or apart.
_FORM_AFTER = {"资金支持": "支持"}
_FORM_BEFORE = {"免费服务": "免费"}
_FORM_APART = {"股权投资"}


def provision_label(provision: Provision) -> str:
    """A short name: 算力服务券, 购房补贴, 创业担保贷款, 模型备案支持, 免费公共服务, 投资基金（股权投资）."""
    purpose, form = provision.purpose, provision.form
    if form in _FORM_BEFORE:
        return _FORM_BEFORE[form] + purpose
    if form in _FORM_APART:
        return f"{purpose}（{form}）"
    form = _FORM_AFTER.get(form, form)
    for size in range(min(len(purpose), len(form)), 0, -1):  # 创业担保 + 担保贷款 → 创业担保贷款
        if purpose.endswith(form[:size]):
            return purpose + form[size:]
    return purpose + form


def money(value: float) -> str:
    """An amount as the texts write it: 20万元, but 1000元 below one 万."""
    return wan(value) if value >= 1 else f"{round(value * 10000, 2):g}元"


def describe_rule(provision: Provision) -> str:
    """The amount rule in a few words, e.g. 使用算力服务费用的50%，最高20万元，最长3年 ('' when it has none)."""
    parts: list[str] = []
    if provision.tiers:
        tiers = "、".join(f"{t.level}{money(t.amount_wan)}" for t in provision.tiers)
        parts.append(tiers + ("，逐级认定的给予差额" if provision.tier_difference else ""))
    if provision.rate_percent is not None:
        parts.append(f"{provision.base + '的' if provision.base else ''}{provision.rate_percent:g}%")
    if provision.amount_wan is not None:
        parts.append(f"{provision.per_unit or ''}{money(provision.amount_wan)}")
    if provision.floor_wan is not None and provision.cap_wan is not None:
        parts.append(f"{provision.floor_wan:g}—{money(provision.cap_wan)}")
    elif provision.cap_wan is not None:
        unit = provision.per_unit if provision.amount_wan is None and provision.per_unit else ""
        parts.append(f"{unit}最高{money(provision.cap_wan)}")
    if provision.cap_per_year_wan is not None and provision.cap_per_year_wan != provision.cap_wan:
        parts.append(f"每年最高{money(provision.cap_per_year_wan)}")
    if provision.quantity is not None:
        parts.append(f"{provision.quantity:g}{provision.quantity_unit or ''}")
    if provision.duration_years is not None:
        parts.append(f"最长{provision.duration_years:g}年")
    return "，".join(parts)
