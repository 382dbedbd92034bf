"""Hybrid retrieval: BM25 over jieba tokens fused with dense Chroma results by reciprocal rank.

Chunks of a policy the question names (by a manifest keyword such as 洪山 or OPC)
get one extra reciprocal-rank vote, so "那洪山区呢" lands in the Hongshan text.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
import numpy as np
from pydantic import ConfigDict, PrivateAttr

from app.retrieval.policy_index import PolicyIndex
from app.retrieval.query_analyzer import PolicyNames, QueryAnalysis, analyze, asks_about_amounts
from app.retrieval.sentence_match import best_sentence_score, query_weights
from ingest.records import Chunk, PolicyDoc, iso
from policy_core.settings import Settings

RetrievalMode = Literal["hybrid", "bm25", "dense"]
log = logging.getLogger(__name__)


@dataclass
class ScoredChunk:
    """A retrieved chunk with its policy and the scores that ranked it."""

    chunk: Chunk
    doc: PolicyDoc
    score: float
    bm25: float
    dense: float
    bm25_rank: int | None
    dense_rank: int | None


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the policy index; `search` returns the scores too."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: PolicyIndex
    # No defaults of its own: the settings are the one source of these values (see `from_settings`).
    k: int
    candidate_k: int
    rrf_k: int
    bm25_weight: float
    dense_weight: float
    hint_weight: float
    sentence_weight: float
    today: dt.date | None = None  # for which policies are current; None: the real date
    mode: RetrievalMode = "hybrid"
    # (the snapshot's docs, the date, their PolicyNames): rebuilt per question it cost ~10 ms at 7,000 policies
    _names: tuple = PrivateAttr(default=(None, None, None))

    @classmethod
    def from_settings(cls, index: PolicyIndex, settings: Settings, mode: RetrievalMode = "hybrid") -> "HybridRetriever":
        return cls(
            index=index,
            k=settings.top_k,
            candidate_k=settings.candidate_k,
            rrf_k=settings.rrf_k,
            bm25_weight=settings.bm25_weight,
            dense_weight=settings.dense_weight,
            hint_weight=settings.hint_weight,
            sentence_weight=settings.sentence_weight,
            today=settings.status_date(),
            mode=mode,
        )

    def policy_names(self) -> PolicyNames:
        docs, today = self.index.snapshot().docs, self.today or dt.date.today()
        cached_docs, cached_today, names = self._names
        if cached_docs is not docs or cached_today != today:
            names = PolicyNames.from_docs(docs, today)
            self._names = (docs, today, names)
        return names

    def analyze(self, question: str) -> QueryAnalysis:
        return analyze(question, self.policy_names())

    def search(self, question: str, k: int | None = None, analysis: QueryAnalysis | None = None) -> list[ScoredChunk]:
        analysis = analysis or self.analyze(question)
        snap = self.index.snapshot()
        chunks = snap.chunks
        bm25 = self.index.bm25_scores(analysis.tokens) if self.mode != "dense" else None
        dense: dict[str, float] = {}
        if self.mode != "bm25":
            vector = self.index.query_vector(analysis.search_text)
            try:
                dense = self.index.dense_scores(vector, self.candidate_k)
            except Exception as exc:  # a Chroma server gone away: keep answering from BM25
                log.debug("dense search failed, answering from BM25 only: %s", exc)  # the index logs an outage once
                if self.mode == "dense":
                    raise

        bm25_ranks: dict[str, int] = {}
        if bm25 is not None:
            order = [i for i in _top_indices(bm25, self.candidate_k) if bm25[i] > 0]
            bm25_ranks = {chunks[i].id: r for r, i in enumerate(order, start=1)}
        dense_ranks = {cid: r for r, cid in enumerate(sorted(dense, key=dense.get, reverse=True), start=1)}

        fused: dict[str, float] = {}
        for ranks, weight in ((bm25_ranks, self.bm25_weight), (dense_ranks, self.dense_weight)):
            for cid, rank in ranks.items():
                fused[cid] = fused.get(cid, 0.0) + weight / (self.rrf_k + rank)
        if analysis.doc_hints:
            for cid in fused:
                if chunks[snap.position[cid]].doc_id in analysis.doc_hints:
                    fused[cid] += self.hint_weight / (self.rrf_k + 1)

        if self.mode == "hybrid" and self.sentence_weight:
            self._rerank_by_best_sentence(fused, analysis, (k or self.k) * 2)
        best = _cover_named_docs(sorted(fused, key=fused.get, reverse=True), k or self.k, analysis.doc_hints, chunks, snap.position)
        results = []
        for cid in best:
            i = snap.position[cid]
            results.append(
                ScoredChunk(
                    chunks[i],
                    snap.docs[chunks[i].doc_id],
                    fused[cid],
                    float(bm25[i]) if bm25 is not None else 0.0,
                    dense.get(cid, 0.0),
                    bm25_ranks.get(cid),
                    dense_ranks.get(cid),
                )
            )
        return results

    def _rerank_by_best_sentence(self, fused: dict[str, float], analysis: QueryAnalysis, depth: int) -> None:
        """Add to the leading candidates' scores how well their best sentence matches the question."""
        snap = self.index.snapshot()
        weights = query_weights(analysis, snap.idf)
        wants_amount = asks_about_amounts(analysis.question)
        for cid in sorted(fused, key=fused.get, reverse=True)[:depth]:
            text = snap.chunks[snap.position[cid]].text
            fused[cid] += self.sentence_weight * best_sentence_score(text, weights, wants_amount)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [to_document(hit) for hit in self.search(query)]


def _top_indices(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the k highest scores, highest first. A large index is partially sorted
    (a full sort costs ~8 ms at 100,000 chunks); a small one keeps the full sort, so the
    order of tied scores is the one the golden set was tuned with."""
    if len(scores) <= _FULL_SORT_MAX:
        return scores.argsort()[::-1][:k].tolist()
    part = np.argpartition(-scores, k - 1)[:k]
    return sorted(part.tolist(), key=lambda i: (-scores[i], -i))


_FULL_SORT_MAX = 4096


def _cover_named_docs(ranked: list[str], k: int, hints: set[str], chunks: list[Chunk], position: dict[str, int]) -> list[str]:
    """Top k, but with the best chunk of every policy the question names (a cross-policy question
    must see both policies even when one of them dominates the scores)."""
    top = ranked[:k]
    if len(hints) < 2:
        return top
    present = {chunks[position[cid]].doc_id for cid in top}
    missing = [
        next((cid for cid in ranked[k:] if chunks[position[cid]].doc_id == doc_id), None) for doc_id in hints - present
    ]
    added = [cid for cid in missing if cid is not None][: k - 1]
    return sorted(top[: k - len(added)] + added, key=ranked.index)


def to_document(hit: ScoredChunk) -> Document:
    chunk, doc = hit.chunk, hit.doc
    return Document(
        id=chunk.id,
        page_content=chunk.text,
        metadata={
            "chunk_id": chunk.id,
            "doc_id": doc.id,
            "doc_title": doc.title,
            "doc_number": doc.doc_number,
            "clause": chunk.label,
            "start": chunk.start,
            "end": chunk.end,
            "units": list(chunk.units),
            "effective_from": iso(doc.effective_from),
            "valid_until": iso(doc.valid_until),
            "score": hit.score,
            "bm25": hit.bm25,
            "dense": hit.dense,
        },
    )
