"""Deciding that the documents don't cover a question, instead of answering from weak evidence.

Two kinds of signal:
- rules: the question names a place whose policies the corpus lacks, a subject
  none of its policies covers (tax, mortgages, cars …), or asks about the
  assistant itself / its instructions (`scope_rules.toml`);
- evidence strength: how much of the question's vocabulary (weighted by IDF, a
  word the corpus never uses counting fully against) the best clauses contain,
  blended with their dense similarity. The threshold is calibrated on the
  golden set (`policy-advisor eval --calibrate`) and lives in the settings.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.retrieval.hybrid_retriever import ScoredChunk
from app.retrieval.query_analyzer import QueryAnalysis, expand_colloquial
from policy_core.tokenizer import token_set, tokenize

# Dense cosine similarities of multilingual-e5 sit in a narrow band; these map it to 0..1.
_DENSE_FLOOR, _DENSE_CEIL = 0.80, 0.93
_DENSE_WEIGHT = 0.4


@dataclass
class ScopeDecision:
    refused: bool
    strength: float
    reason: str


@lru_cache(maxsize=1)
def _rules() -> dict:
    return tomllib.loads((Path(__file__).parent / "scope_rules.toml").read_text(encoding="utf-8"))


def rule_violation(question: str) -> str | None:
    lowered = question.lower()
    rules = _rules()
    if any(p.lower() in lowered for p in rules["meta_patterns"]):
        return "about the assistant itself"
    topic = next((t for t in rules["other_topics"] if t.lower() in lowered), None)
    if topic:
        return f"about {topic}, which no policy in the corpus covers"
    region = next((r for r in rules["other_regions"] if r.lower() in lowered), None)
    if region and "武汉" not in question and "wuhan" not in lowered:
        return f"about {region}, which the corpus does not cover"
    return None


def evidence_strength(analysis: QueryAnalysis, hits: list[ScoredChunk], idf: dict[str, float]) -> float:
    if not hits:
        return 0.0
    # The search text: the question plus the policy words for its colloquial and English words.
    # The analysis already tokenized the search text without policy and region names
    # (they pick a document, not a topic).
    question_tokens = set(analysis.tokens)
    if not question_tokens:
        return 0.0
    top = hits[:3]
    evidence = set()
    for hit in top:
        evidence.update(token_set(f"{hit.doc.title} {hit.chunk.label} {hit.chunk.text}"))
    unseen = max(idf.values(), default=1.0)
    total = covered = 0.0
    for token in question_tokens:
        weight = idf.get(token, unseen)
        total += weight
        alternatives = {token} | set(tokenize(expand_colloquial(token))) if token not in idf else {token}
        if alternatives & evidence:
            covered += weight
    coverage = covered / total if total else 0.0
    dense = max(h.dense for h in top)
    dense_norm = min(1.0, max(0.0, (dense - _DENSE_FLOOR) / (_DENSE_CEIL - _DENSE_FLOOR)))
    return (1 - _DENSE_WEIGHT) * coverage + _DENSE_WEIGHT * dense_norm


def decide_scope(analysis: QueryAnalysis, hits: list[ScoredChunk], idf: dict[str, float], threshold: float) -> ScopeDecision:
    reason = rule_violation(analysis.question)
    strength = evidence_strength(analysis, hits, idf)
    if reason:
        return ScopeDecision(True, strength, reason)
    if strength < threshold:
        return ScopeDecision(True, strength, f"evidence strength {strength:.2f} below {threshold:.2f}")
    return ScopeDecision(False, strength, "")
