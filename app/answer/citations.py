"""Building the citation records of the answer contract from retrieved chunks."""

from __future__ import annotations

import datetime as dt

from app.answer.policy_status import STATUS_LABEL_ZH, policy_status
from app.retrieval.hybrid_retriever import ScoredChunk
from app.schemas import Citation
from ingest.records import PolicyDoc, iso


def make_citation(ref: int, hit: ScoredChunk, today: dt.date, highlights: list[tuple[int, int]] | None = None) -> Citation:
    doc, chunk = hit.doc, hit.chunk
    return Citation(
        ref=ref,
        doc_id=doc.id,
        doc_title=doc.title,
        doc_number=doc.doc_number,
        clause=chunk.label,
        text=chunk.text,
        status=policy_status(doc, today),
        effective_from=iso(doc.effective_from),
        valid_until=iso(doc.valid_until),
        score=round(hit.score, 5),
        units=list(chunk.units),
        highlights=highlights or [],
    )


def coverage_list(docs: list[PolicyDoc], today: dt.date, english: bool = False) -> str:
    """《title》（status） for every document of the corpus."""
    names = {"in_force": "in force", "expired": "expired", "not_yet_effective": "not yet in force"}
    parts = []
    for doc in docs:
        status = policy_status(doc, today)
        parts.append(f"《{doc.title}》（{names[status] if english else STATUS_LABEL_ZH[status]}）")
    return ("; " if english else "、").join(parts)
