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

from pydantic import BaseModel, Field, computed_field

from app.matching.amount_rules import Calculation, calculate, headline_wan, wan
from app.matching.founder_profile import FounderProfile
from app.matching.provision_catalog import Catalog, PolicyInfo
from app.schemas import Citation, PolicyStatus
from ingest.provisions import Provision

# A profile identity that certainly is the beneficiary word (an OPC's founder asks for the OPC's people too).
CERTAIN: dict[str, set[str]] = {
    "OPC": {"OPC人才", "企业"},
    "中小企业": {"企业"},
    "初创企业": {"企业"},
    "上市公司": {"企业"},
}
# An identity that may well be the beneficiary word, but the profile does not say so
# (a small AI firm may be an OPC: the OPC measures are listed as 可能适用, the condition quoted).
PROBABLE: dict[str, set[str]] = {
    "OPC": {"中小企业", "初创企业"},
    "初创企业": {"中小企业", "OPC"},
    "中小企业": {"OPC"},
    "企业": {"中小企业", "初创企业", "OPC"},
    "人才": {"OPC人才"},
    "创新团队": {"OPC人才"},
}
MONEY_FORMS = {"补贴", "补助", "奖励", "资助", "资金支持", "券"}

Verdict = Literal["适用", "可能适用"]


class HighestOnly(BaseModel):
    """The 就高不重复 rule over provisions of the same kind from several policies, and which is higher."""

    rule_policy: str = Field(description="Title of the policy that sets the rule.")
    higher_title: str | None = Field(None, description="Title of the policy whose provision gives more, when amounts compare.")
    higher_clause: str | None = None
    higher_wan: float | None = None

    @computed_field(description="The rule as a sentence, e.g. 同类支持按“就高不重复”原则执行（《…》）；较高的是《…》…（20万元）.")
    @property
    def note(self) -> str:
        higher = f"；较高的是《{self.higher_title}》{self.higher_clause}（{wan(self.higher_wan)}）" if self.higher_wan is not None else ""
        return f"同类支持按“就高不重复”原则执行（《{self.rule_policy}》）{higher}"

    def note_en(self) -> str:
        higher = f" Here the higher one is 《{self.higher_title}》 “{self.higher_clause}” ({wan(self.higher_wan)})." if self.higher_wan is not None else ""
        return f"Where policies overlap for the same item, 《{self.rule_policy}》 sets the rule 「就高不重复」: you get the higher one, not both.{higher}"


class MatchedProvision(BaseModel):
    provision: Provision
    verdict: Verdict = Field(description="适用: the profile settles who and where; 可能适用: see `unsettled`.")
    unsettled: list[str] = Field(description="Quoted words the profile does not settle (conditions, beneficiary, district).")
    calculation: Calculation | None = Field(description="The amount the profile's figures give, with its working.")
    highest_only: HighestOnly | None = Field(None, description="Set when another policy grants the same kind (就高不重复).")
    ref: int | None = Field(None, description="The number of its clause's citation, [ref].")


class PolicyMatches(BaseModel):
    doc_id: str
    title: str
    status: PolicyStatus
    valid_until: str | None
    items: list[MatchedProvision]


class MatchResult(BaseModel):
    policies: list[PolicyMatches] = Field(description="Policies in force, with the provisions that apply.")
    upcoming: list[PolicyMatches] = Field(description="Policies not yet in force.")
    expired: list[PolicyMatches] = Field(description="Expired policies, only when the profile asks for them.")
    citations: list[Citation] = Field(default_factory=list, description="The clauses the provisions come from, numbered [ref].")

    def groups(self) -> list[PolicyMatches]:
        """Every group: in force, then not yet in force, then expired."""
        return [*self.policies, *self.upcoming, *self.expired]

    def items(self) -> list[MatchedProvision]:
        return [item for group in self.groups() for item in group.items]


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
    if profile.only_activities and activity is None:
        return None
    who, where = _who(provision, profile), _where(policy, profile)
    if who is None or where is None:
        return None
    certain, unsettled = who
    unsettled = unsettled + where + [c if c.startswith("“") and c.endswith("”") else f"“{c}”" for c in provision.conditions]
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
        rule = HighestOnly(rule_policy=rule_from[0])
        if best is not None:
            rule = HighestOnly(rule_policy=rule_from[0], higher_title=best[1].title, higher_clause=best[2].provision.clause, higher_wan=best[0])
        for _, _, item in valued:
            item.highest_only = rule


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
