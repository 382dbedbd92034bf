"""Cite a match result the way answers cite: one numbered citation per clause, its provisions' sentences highlighted.

The citation records are the chat's (`make_citation`), so the page, the API and the
widget show a matched provision with the same source card as an answer's clause.
"""

from __future__ import annotations

import datetime as dt

from app.answer.citations import make_citation
from app.matching.provision_matcher import MatchResult
from app.retrieval.hybrid_retriever import ScoredChunk
from app.schemas import Citation
from ingest.provisions import Provision
from ingest.records import PolicyDoc


def sentence_span(provision: Provision, clause_text: str) -> tuple[int, int] | None:
    """Where the provision's sentence stands in its clause (ingest checked that it does)."""
    start = clause_text.find(provision.sentence)
    return (start, start + len(provision.sentence)) if start >= 0 else None


def clause_citation(ref: int, doc: PolicyDoc, label: str, provisions: list[Provision], today: dt.date) -> Citation:
    """The clause `label` as citation [ref], the sentences of `provisions` highlighted."""
    passage = doc.clause_passage(label)
    spans = sorted({span for p in provisions if (span := sentence_span(p, passage.text))})
    return make_citation(ref, ScoredChunk(passage, doc, 0.0, 0.0, 0.0, None, None), today, spans)


def cite_matches(result: MatchResult, docs: dict[str, PolicyDoc], today: dt.date) -> MatchResult:
    """Number each clause once, in the order the result lists its provisions, and attach the citations."""
    by_clause: dict[tuple[str, str], list[Provision]] = {}
    for item in result.items():
        key = (item.provision.doc_id, item.provision.clause)
        by_clause.setdefault(key, []).append(item.provision)
        item.ref = list(by_clause).index(key) + 1
    result.citations = [
        clause_citation(ref, docs[doc_id], label, provisions, today)
        for ref, ((doc_id, label), provisions) in enumerate(by_clause.items(), start=1)
    ]
    return result
