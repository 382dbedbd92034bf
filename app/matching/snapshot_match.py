"""Match against what the advisor answers from: the index snapshot's documents and provisions.

The one entry point every surface shares (`Advisor.match`, the page's 政策匹配 tab, the
overview and calculation answers in chat): match, keep what was asked about, then cite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from app.matching.founder_profile import FounderProfile
from app.matching.match_citations import cite_matches
from app.matching.provision_catalog import catalog_of
from app.matching.provision_matcher import MatchedProvision, MatchResult, match_profile
from app.matching.question_profile import QuestionProfile
from app.retrieval.policy_index import IndexSnapshot
from app.retrieval.query_analyzer import PolicyNames

Keep = Callable[[MatchedProvision], bool]


def match_snapshot(
    snapshot: IndexSnapshot,
    profile: FounderProfile,
    today: dt.date,
    doc_ids: set[str] | None = None,
    keep: Keep | None = None,
    in_force_only: bool = False,
) -> MatchResult:
    """Every provision of the snapshot the profile may get (only of `doc_ids` when given, only those `keep`
    keeps, only of policies in force when asked), cited."""
    docs = [d for d in snapshot.docs.values() if doc_ids is None or d.id in doc_ids]
    provisions = [p for p in snapshot.provisions if doc_ids is None or p.doc_id in doc_ids]
    result = match_profile(catalog_of(docs, provisions, today), profile)
    if keep is not None:
        for group in result.groups():
            group.items = [item for item in group.items if keep(item)]
        result.policies, result.upcoming, result.expired = (
            [g for g in groups if g.items] for groups in (result.policies, result.upcoming, result.expired)
        )
    if in_force_only:
        result.upcoming, result.expired = [], []
    # Policies with something that surely applies first; those that all hinge on who or where the founder is after.
    result.policies.sort(key=lambda group: all(item.verdict == "可能适用" for item in group.items))
    return cite_matches(result, snapshot.docs, today)


def named_policies(question: QuestionProfile, snapshot: IndexSnapshot, today: dt.date) -> set[str] | None:
    """The policies the question names by words other than who and where the founder is ("市里", "洪山区的");
    None when it names none (every policy may apply)."""
    hints = PolicyNames.from_docs(snapshot.docs, today).hints(question.named_text)
    return hints or None


def on_topic(question: QuestionProfile) -> Keep:
    """Keep the provisions the question asks about: of its purposes (算力, 模型 …) and of its forms
    (补贴, 贷款 …), each only when it names some."""
    purposes, forms = set(question.purposes), set(question.forms)

    def keep(item: MatchedProvision) -> bool:
        return (not purposes or item.provision.purpose in purposes) and (not forms or item.provision.form in forms)

    return keep
