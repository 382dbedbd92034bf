"""The unsupported-claim count of an answer: sentences stating a fact not found in the sources they cite.

Counted on the answer as shown (after the guard), for either mode: an
extractive fallback is counted like any other answer. A sentence's sources
are its own markers, or those of the sentence before it in its paragraph
(a "责任单位：…" line under a quote), else every citation of the answer; the
founder's own figures and what the advisor computes from them count as
supported (app/answer/claim_grounding.py). Refusals state no claim.
"""

from __future__ import annotations

from app.answer.claim_grounding import ClaimGrounder, advisor_values
from app.schemas import AnswerResult, Citation
from ingest.records import PolicyDoc


def citation_source(citation: Citation, issuer: str = "") -> str:
    """What a citation stands for: its policy's title, number, issuer and dates, the clause and its text."""
    dates = " ".join(d for d in (citation.effective_from, citation.valid_until) if d)
    return "\n".join([f"《{citation.doc_title}》{citation.doc_number}", issuer, citation.clause, dates, citation.text])


def answer_claims(result: AnswerResult, question: str, docs: dict[str, PolicyDoc]) -> tuple[int, int]:
    """(sentences stating a fact, those unsupported by their sources)."""
    if result.refused:
        return 0, 0
    sources = {c.ref: citation_source(c, docs[c.doc_id].issuer if c.doc_id in docs else "") for c in result.citations}
    grounder = ClaimGrounder(sources, advisor_values(question, [c.text for c in result.citations]))
    return grounder.unsupported(result.answer)
