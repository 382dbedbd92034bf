"""The default answerer: deterministic, no LLM. It quotes the sentences that answer.

From the retrieved clauses it picks the one that answers (plus the best clause
of each other policy the question names, and the 就高不重复 rule when asked
about stacking), then within each clause the sentences whose words best match
the question, and writes a short answer with numbered citations, status
warnings, a computed amount when the question gives one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from app.answer import phrases
from app.answer.citations import coverage_list, make_citation
from app.answer.policy_status import policy_status, status_warning
from app.answer.scope_guard import ScopeDecision
from app.answer.subsidy_calculator import calculate, describe_en, describe_zh
from app.retrieval.hybrid_retriever import ScoredChunk
from app.retrieval.query_analyzer import QueryAnalysis, asks_about_amounts
from app.retrieval.sentence_match import query_weights, sentence_scores
from app.schemas import Citation
from ingest.records import Chunk, PolicyDoc
from policy_core.responsible_units import without_units_tail
from policy_core.sentences import sentence_spans

_ASKS_STACKING = "就高不重复"
MAX_CLAUSES = 3
CLOSE_SCORE = 0.9  # another named policy: its clauses this close to its best count as a tie, broken by sentence relevance
RUNNER_UP_SCORE = 0.97
RUNNER_UP_RELEVANCE = 0.8


@dataclass
class Evidence:
    """A clause chosen for the answer (its hit carries the whole clause) and the sentences quoted from it."""

    hit: ScoredChunk
    spans: list[tuple[int, int]]  # the quoted sentences, as offsets in the clause text
    relevance: float

    @property
    def quote(self) -> str:
        text = self.hit.chunk.text
        return "".join(without_units_tail(text[s:e]).strip() for s, e in self.spans)


@dataclass
class AnswerDraft:
    text: str
    citations: list[Citation]
    refused: bool
    evidence: list[Evidence] = field(default_factory=list)


def select_evidence(
    hit: ScoredChunk, siblings: list[Chunk], weights: dict[str, float], wants_amount: bool, max_sentences: int = 3
) -> Evidence | None:
    """The best sentences of the hit's whole clause, read as one text: a long clause is split into
    chunks for search, but a sentence must not be cut where a chunk ends. The evidence is the
    clause itself, so a clause is cited once however it was chunked."""
    clause = clause_record(hit.doc, hit.chunk.label)
    ranked = sorted(sentence_scores(clause.text, weights, wants_amount), key=lambda s: s[0], reverse=True)
    if not ranked:
        return None
    best = ranked[0][0]
    chosen = [ranked[0]] + [s for s in ranked[1:max_sentences] if s[0] >= 0.5 * best and s[0] > 0]
    spans = sorted((start, end) for _, start, end in chosen)
    used = [c for c in siblings if any(c.start < clause.start + e and clause.start + s < c.end for s, e in spans)]
    units = tuple(dict.fromkeys(unit for c in used for unit in c.units)) or clause.units
    clause_hit = ScoredChunk(replace(clause, units=units), hit.doc, hit.score, hit.bm25, hit.dense, hit.bm25_rank, hit.dense_rank)
    return Evidence(clause_hit, spans, best)


def clause_record(doc: PolicyDoc, label: str) -> Chunk:
    """The clause `label` of `doc` as a citable record: its exact text, offsets and units."""
    return doc.clause_passage(label)


def _clause_key(chunk: Chunk) -> tuple[str, str]:
    return chunk.doc_id, chunk.label


def _choose_clauses(
    analysis: QueryAnalysis,
    hits: list[ScoredChunk],
    clause_chunks: dict[tuple[str, str], list[Chunk]],
    weights: dict[str, float],
    wants_amount: bool,
) -> list[Evidence]:
    """The clause that answers, then the best clause of each other policy the question names,
    then a near-equal runner-up. For another named policy, among its clauses the retriever
    ranks close together, the one whose sentences match the question best wins."""
    candidates: dict[tuple[str, str], Evidence] = {}
    for hit in hits:
        key = _clause_key(hit.chunk)
        if key not in candidates:
            evidence = select_evidence(hit, clause_chunks.get(key, [hit.chunk]), weights, wants_amount)
            if evidence is not None:
                candidates[key] = evidence
    if not candidates:
        return []
    ranked = list(candidates.values())
    top_score = ranked[0].hit.score

    def best_of(pool: list[Evidence]) -> Evidence:
        near = [e for e in pool if e.hit.score >= CLOSE_SCORE * pool[0].hit.score]
        return max(near, key=lambda e: e.relevance)

    primary = ranked[0]
    chosen = [primary]
    named_docs = [d for d in dict.fromkeys(e.hit.doc.id for e in ranked) if d in analysis.doc_hints]
    for doc_id in named_docs:
        if doc_id != primary.hit.doc.id and len(chosen) < MAX_CLAUSES:
            chosen.append(best_of([e for e in ranked if e.hit.doc.id == doc_id]))
    for evidence in ranked:
        if len(chosen) >= MAX_CLAUSES:
            break
        runner_up = evidence.hit.score >= RUNNER_UP_SCORE * top_score and evidence.relevance >= RUNNER_UP_RELEVANCE * primary.relevance
        if runner_up and all(evidence is not c for c in chosen):
            chosen.append(evidence)
    return chosen


def _stacking_evidence(chosen: list[Evidence], all_docs: dict[str, PolicyDoc]) -> list[Evidence]:
    """The 就高不重复 clause of each policy in the answer (from the document's own text)."""
    found = []
    for doc_id in dict.fromkeys(e.hit.doc.id for e in chosen):
        doc = all_docs[doc_id]
        for clause in doc.clauses:
            record = clause_record(doc, clause.label)
            if _ASKS_STACKING in record.text:
                text = record.text
                spans = [(s, e) for s, e in sentence_spans(text) if _ASKS_STACKING in text[s:e]]
                found.append(Evidence(ScoredChunk(record, doc, 0.0, 0.0, 0.0, None, None), spans, 0.0))
                break
    return found


def refusal(analysis: QueryAnalysis, docs: list[PolicyDoc], today: dt.date) -> AnswerDraft:
    if analysis.english:
        text = f"{phrases.REFUSAL_EN} " + phrases.COVERAGE_EN.format(docs=coverage_list(docs, today, english=True))
    else:
        text = phrases.REFUSAL_ZH + phrases.COVERAGE_ZH.format(docs=coverage_list(docs, today))
    return AnswerDraft(text, [], True)


def answer_extractively(
    analysis: QueryAnalysis,
    hits: list[ScoredChunk],
    scope: ScopeDecision,
    idf: dict[str, float],
    all_docs: dict[str, PolicyDoc],
    clause_chunks: dict[tuple[str, str], list[Chunk]],
    today: dt.date,
) -> AnswerDraft:
    if scope.refused or not hits:
        return refusal(analysis, list(all_docs.values()), today)
    weights = query_weights(analysis, idf)
    chosen = _choose_clauses(analysis, hits, clause_chunks, weights, asks_about_amounts(analysis.question))
    if not chosen:
        return refusal(analysis, list(all_docs.values()), today)
    stacking = []
    asked = _ASKS_STACKING in analysis.search_text
    # Two policies the question names, both answering: the same kind of support from two sources.
    overlapping = len(analysis.doc_hints) > 1 and len({e.hit.doc.id for e in chosen}) > 1
    if asked or overlapping:
        stacking = [s for s in _stacking_evidence(chosen, all_docs) if s.spans]
        if not asked:
            stacking = stacking[:1]
    evidence = chosen + [s for s in stacking if all(s.hit.chunk.id != e.hit.chunk.id for e in chosen)]
    citations = [make_citation(i, e.hit, today, e.spans) for i, e in enumerate(evidence, start=1)]
    text = _compose(analysis, chosen, stacking, evidence, today)
    return AnswerDraft(text, citations, False, evidence)


def _compose(analysis: QueryAnalysis, chosen: list[Evidence], stacking: list[Evidence], evidence: list[Evidence], today: dt.date) -> str:
    english = analysis.english
    lines: list[str] = [phrases.LEAD_EN] if english else []
    warned: set[str] = set()
    for ref, item in enumerate(evidence, start=1):
        if item in stacking and item not in chosen:
            continue
        doc = item.hit.doc
        status = policy_status(doc, today)
        if status != "in_force" and doc.id not in warned:
            warned.add(doc.id)
            lines.append(status_warning(doc, status, english, phrases.STATUS_WARNINGS))
        number = f"（{doc.doc_number}）" if doc.doc_number else ""
        clause = item.hit.chunk.label
        if english:
            lines.append(f"According to 《{doc.title}》{number}, clause “{clause}”: 「{item.quote}」 [{ref}]")
        else:
            lines.append(f"根据《{doc.title}》{number}“{clause}”：{item.quote} [{ref}]")
        if ref == 1 or item.hit.doc.id != evidence[0].hit.doc.id:
            sentences = [item.hit.chunk.text[s:e] for s, e in item.spans]
            calc = calculate(analysis.question, sentences)
            if calc:
                lines.append(f"{describe_en(calc) if english else describe_zh(calc)} [{ref}]")
    for item in stacking:
        ref = evidence.index(item) + 1 if item in evidence else None
        if ref:
            lines.append(f"{phrases.STACKING_EN if english else phrases.STACKING_ZH} [{ref}]")
            break
    return "\n\n".join(lines)
