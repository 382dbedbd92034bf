"""Questions to offer a founder: starters before the first question, related follow-ups after an answer.

Both are written from the reviewed provisions (corpus/provisions/*.toml), so each
names a benefit a policy in force really grants and is answerable from the index.
A follow-up comes from the clauses the answer cites: the other benefits of those
clauses first, then the benefits its policies grant to the same founders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from app.answer.policy_status import policy_status
from app.schemas import Citation
from ingest.provisions import Provision
from ingest.records import PolicyDoc

FOLLOW_UPS = 3
STARTERS = 4


def _benefit(purpose: str, form: str) -> str:
    """"算力服务" + "免费服务" → "算力免费服务"; "住房补贴" + "补贴" → "住房补贴"."""
    if form in purpose:
        return purpose
    if purpose[-2:] == form[-2:]:
        return purpose[:-2] + form
    return purpose + form


def _question(provision: Provision, docs: dict[str, PolicyDoc]) -> str:
    region = docs[provision.doc_id].region if provision.doc_id in docs else ""
    who, benefit = provision.beneficiaries[0], _benefit(provision.purpose, provision.form)
    if who[:2] in benefit:
        who = ""
    elif who[-2:] == benefit[:2]:  # "OPC人才" + "人才计划资助"
        who = who[:-2]
    money = any(v is not None for v in (provision.cap_wan, provision.amount_wan, provision.rate_percent))
    return f"{region}{who}{benefit}{'有多少' if money else '怎么申请'}？"


def _in_force(provisions: Iterable[Provision], docs: dict[str, PolicyDoc], today: dt.date) -> list[Provision]:
    return [p for p in provisions if p.doc_id in docs and policy_status(docs[p.doc_id], today) == "in_force"]


def _unique(questions: Iterable[str], asked: str, limit: int) -> list[str]:
    seen: dict[str, None] = {}
    for question in questions:
        if question != asked and question not in seen:
            seen[question] = None
    return list(seen)[:limit]


def follow_up_questions(
    citations: list[Citation], answer: str, asked: str, provisions: list[Provision], docs: dict[str, PolicyDoc], today: dt.date
) -> list[str]:
    """Up to three questions about what the cited clauses (then their policies, the same founders first) also grant,
    leaving out the benefits the answer already quotes."""
    cited = {(c.doc_id, c.clause) for c in citations}
    if not cited:
        return []
    live = [p for p in _in_force(provisions, docs, today) if p.sentence not in answer]
    same_clause = [p for p in live if (p.doc_id, p.clause) in cited]
    founders = {b for p in provisions if (p.doc_id, p.clause) in cited for b in p.beneficiaries}
    same_policy = [p for p in live if p.doc_id in {d for d, _ in cited} and (p.doc_id, p.clause) not in cited]
    same_founders = [p for p in same_policy if founders & set(p.beneficiaries)]
    ordered = [*same_clause, *same_founders, *same_policy]
    return _unique((_question(p, docs) for p in ordered), asked, FOLLOW_UPS)


def starter_questions(provisions: list[Provision], docs: dict[str, PolicyDoc], today: dt.date) -> list[str]:
    """Up to four questions, taking each policy in force in turn, one benefit (a different kind each) at a time."""
    by_policy: dict[str, list[Provision]] = {}
    for provision in _in_force(provisions, docs, today):
        by_policy.setdefault(provision.doc_id, []).append(provision)
    picked: list[Provision] = []
    purposes: set[str] = set()
    for round_ in range(max((len(v) for v in by_policy.values()), default=0)):
        for items in by_policy.values():
            if round_ < len(items) and items[round_].purpose not in purposes:
                picked.append(items[round_])
                purposes.add(items[round_].purpose)
    return _unique((_question(p, docs) for p in picked), "", STARTERS)
