"""The record handed from search to answering: what is known about a question before its answer is written.

It lives in the answer layer so that both the advisor (which builds it) and
the answerers (which read it) import it from below, never from each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.answer.scope_guard import ScopeDecision
from app.retrieval.hybrid_retriever import ScoredChunk
from app.retrieval.query_analyzer import QueryAnalysis


@dataclass
class Retrieval:
    """Everything known about a question after search, before writing the answer."""

    question: str  # as asked (stripped)
    resolved: str  # the stand-alone question actually searched
    analysis: QueryAnalysis
    hits: list[ScoredChunk]
    scope: ScopeDecision
