"""Match a founder's profile to the provisions: what applies, what might, and how much.

Pure: the catalogue and the profile in, a grouped result out. A provision applies when
the profile settles who (its identities are a beneficiary) and where (a district policy
needs that district); what the profile cannot settle — a beneficiary it only probably is,
an unknown district, the provision's quoted conditions — makes it "可能适用" with those
words quoted, never dropped and never promised. Provisions of the same kind from
different policies are marked with the 就高不重复 rule when a policy sets it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from app.matching.amount_rules import Calculation, calculate, headline_wan, wan
from app.matching.founder_profile import FounderProfile
from app.matching.provision_catalog import Catalog, PolicyInfo
from app.schemas import PolicyStatus
from ingest.provisions import Provision

# A profile identity that certainly is the beneficiary word (an OPC's founder asks for the OPC's people too).
CERTAIN: dict[str, set[str]] = {
    "OPC": {"OPC人才", "企业"},
    "中小企业": {"企业"},
    "初创企业": {"企业"},
    "上市公司": {"企业"},
}
# An identity that may well be the beneficiary word, but the profile does not say so.
PROBABLE: dict[str, set[str]] = {
    "OPC": {"中小企业", "初创企业"},
    "初创企业": {"中小企业"},
    "企业": {"中小企业", "初创企业"},
    "人才": {"OPC人才"},
}
MONEY_FORMS = {"补贴", "补助", "奖励", "资助", "资金支持", "券"}

Verdict = Literal["适用", "可能适用"]


class MatchedProvision(BaseModel):
    provision: Provision
    verdict: Verdict
    unsettled: list[str]  # quoted words the profile does not settle
    calculation: Calculation | None
    highest_only: str | None = None  # the 就高不重复 note when another policy grants the same kind


class PolicyMatches(BaseModel):
    doc_id: str
    title: str
    status: PolicyStatus
    valid_until: str | None
    items: list[MatchedProvision]


class MatchResult(BaseModel):
    policies: list[PolicyMatches]  # in force
    upcoming: list[PolicyMatches]  # not yet in force
    expired: list[PolicyMatches]  # only when the profile asks for them


def _who(provision: Provision, profile: FounderProfile) -> tuple[bool, list[str]] | None:
    """(certain, unsettled words) when an identity fits a beneficiary; None when none does."""
    identities = set(profile.identities)
    certain = identities | {word for i in identities for word in CERTAIN.get(i, ())}
    if certain & set(provision.beneficiaries):
        return True, []
    probable = [b for b in provision.beneficiaries if any(b in PROBABLE.get(i, ()) for i in identities)]
    if probable:
        return False, [f"对象为“{'、'.join(probable)}”"]
    return None


def _where(policy: PolicyInfo, profile: FounderProfile) -> list[str] | None:
    """Unsettled words about the district; None when the profile is registered elsewhere."""
    if not policy.region.endswith("区"):
        return []
    if profile.district is None:
        return [f"注册在{policy.region}"]
    return [] if profile.district == policy.region else None


def match_provision(provision: Provision, policy: PolicyInfo, profile: FounderProfile) -> MatchedProvision | None:
    activity = profile.activity(provision.purpose)
    if profile.activities and activity is None:
        return None
    who, where = _who(provision, profile), _where(policy, profile)
    if who is None or where is None:
        return None
    certain, unsettled = who
    unsettled = unsettled + where + [f"“{c}”" for c in provision.conditions]
    verdict: Verdict = "适用" if certain and not unsettled else "可能适用"
    return MatchedProvision(provision=provision, verdict=verdict, unsettled=unsettled, calculation=calculate(provision, activity))


def _kind(provision: Provision) -> tuple[str, str]:
    return provision.purpose, "资金" if provision.form in MONEY_FORMS else provision.form


def mark_highest_only(groups: list[PolicyMatches], catalog: Catalog) -> None:
    """Mark provisions of the same kind across policies with 就高不重复 and which is higher."""
    by_kind: dict[tuple[str, str], list[tuple[PolicyMatches, MatchedProvision]]] = {}
    for group in groups:
        for item in group.items:
            by_kind.setdefault(_kind(item.provision), []).append((group, item))
    for entries in by_kind.values():
        if len({g.doc_id for g, _ in entries}) < 2:
            continue
        rule_from = [catalog.policies[g.doc_id].title for g, _ in entries if catalog.policies[g.doc_id].states_highest_only]
        if not rule_from:
            continue
        valued = [(headline_wan(i.provision, i.calculation), g, i) for g, i in entries]
        best = max((v for v in valued if v[0] is not None), key=lambda v: v[0], default=None)
        higher = f"；较高的是《{best[1].title}》{best[2].provision.clause}（{wan(best[0])}）" if best else ""
        for _, _, item in valued:
            item.highest_only = f"同类支持按“就高不重复”原则执行（《{rule_from[0]}》）{higher}"


def match_profile(catalog: Catalog, profile: FounderProfile) -> MatchResult:
    """Every provision the profile may get, grouped by policy in catalogue order."""
    grouped: dict[str, PolicyMatches] = {}
    for provision in catalog.provisions:
        policy = catalog.policy(provision)
        if policy.status == "expired" and not profile.include_expired:
            continue
        matched = match_provision(provision, policy, profile)
        if matched is None:
            continue
        group = grouped.setdefault(
            policy.doc_id, PolicyMatches(doc_id=policy.doc_id, title=policy.title, status=policy.status, valid_until=policy.valid_until, items=[])
        )
        group.items.append(matched)
    in_force = [g for g in grouped.values() if g.status == "in_force"]
    mark_highest_only(in_force, catalog)
    return MatchResult(
        policies=in_force,
        upcoming=[g for g in grouped.values() if g.status == "not_yet_effective"],
        expired=[g for g in grouped.values() if g.status == "expired"],
    )
