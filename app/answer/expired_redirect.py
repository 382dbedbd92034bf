"""An answer about an expired policy points to the policies in force on the same subject.

"试验区的那个老政策还能用吗？" deserves more than "已失效": the founder wants to
know what replaced it. The advisor searches the in-force policies for the same
question; a clause whose best sentence matches well enough is quoted and cited
under "现行有效的相关政策". A question with no subject of its own (only the old
policy's name, "还能用吗") is pointed to each in-force policy's validity clause.
Relevance counts only the question's subject words (not 补贴 / 申请).
"""

from __future__ import annotations

import datetime as dt

from app.answer import phrases
from app.answer.citations import make_citation
from app.answer.extractive_answerer import AnswerDraft, Evidence, select_evidence
from app.answer.policy_status import policy_status
from app.answer.scope_guard import subject_tokens
from app.answer.who_handles import units_line
from app.retrieval.hybrid_retriever import ScoredChunk
from app.retrieval.query_analyzer import QueryAnalysis, asks_about_amounts
from ingest.records import Chunk, PolicyDoc
from policy_core.sentences import sentence_spans

MAX_POLICIES = 2
MIN_RELEVANCE = 0.3  # share of the question's weighted subject words the in-force sentence must contain
_VALIDITY = "有效期"


def cites_expired(draft: AnswerDraft) -> bool:
    return any(c.status == "expired" for c in draft.citations)


def add_in_force_redirect(
    draft: AnswerDraft,
    analysis: QueryAnalysis,
    in_force_hits: list[ScoredChunk],
    docs: dict[str, PolicyDoc],
    clause_chunks: dict[tuple[str, str], list[Chunk]],
    idf: dict[str, float],
    today: dt.date,
) -> AnswerDraft:
    """`draft` plus the in-force clauses on its subject, cited after its own citations."""
    weights = {t: idf[t] for t in subject_tokens(analysis) if t in idf}
    evidence = _same_subject(in_force_hits, clause_chunks, weights, analysis) if weights else _validity_clauses(docs, today)
    cited = {(c.doc_id, c.clause) for c in draft.citations}
    evidence = [e for e in evidence if (e.hit.doc.id, e.hit.chunk.label) not in cited]
    if not evidence:
        return draft
    english = analysis.english
    lines = [phrases.IN_FORCE_LEAD_EN if english else phrases.IN_FORCE_LEAD_ZH]
    citations = list(draft.citations)
    for item in evidence:
        ref = len(citations) + 1
        citations.append(make_citation(ref, item.hit, today, item.spans))
        doc = item.hit.doc
        units = units_line(list(item.hit.chunk.units), english)
        if english:
            line = f"《{doc.title}》, clause “{item.hit.chunk.label}”: 「{item.quote}」 [{ref}]"
        else:
            line = f"《{doc.title}》“{item.hit.chunk.label}”：{item.quote} [{ref}]"
        lines.append(f"{line}\n{units}" if units else line)
    text = f"{draft.text}\n\n" + "\n\n".join(lines)
    return AnswerDraft(text, citations, draft.refused, draft.evidence + evidence)


def _same_subject(
    hits: list[ScoredChunk], clause_chunks: dict[tuple[str, str], list[Chunk]], weights: dict[str, float], analysis: QueryAnalysis
) -> list[Evidence]:
    """The best-matching clause of each in-force policy (at most two policies), if it matches well enough."""
    best: dict[str, Evidence] = {}
    wants_amount = asks_about_amounts(analysis.question)
    for hit in hits:
        key = (hit.chunk.doc_id, hit.chunk.label)
        evidence = select_evidence(hit, clause_chunks.get(key, [hit.chunk]), weights, wants_amount)
        if evidence is None or evidence.relevance < MIN_RELEVANCE:
            continue
        if hit.doc.id not in best or evidence.relevance > best[hit.doc.id].relevance:
            best[hit.doc.id] = evidence
    return sorted(best.values(), key=lambda e: e.relevance, reverse=True)[:MAX_POLICIES]


def _validity_clauses(docs: dict[str, PolicyDoc], today: dt.date) -> list[Evidence]:
    """Each in-force policy's clause that states its period of validity."""
    found = []
    for doc in docs.values():
        if policy_status(doc, today) != "in_force":
            continue
        for clause in doc.clauses:
            record = doc.clause_passage(clause.label)
            spans = [(s, e) for s, e in sentence_spans(record.text) if _VALIDITY in record.text[s:e]]
            if spans:
                found.append(Evidence(ScoredChunk(record, doc, 0.0, 0.0, 0.0, None, None), spans, 0.0))
                break
    return found
