"""How well each sentence of a passage matches a question: IDF-weighted word overlap.

Used twice: to re-rank the fused candidates (a clause with one sentence that
answers beats a clause that mentions the words everywhere), and by the
extractive answerer to pick the sentences it quotes.
"""

from __future__ import annotations

import re

from app.retrieval.query_analyzer import QueryAnalysis
from policy_core.responsible_units import without_units_tail
from policy_core.sentences import sentence_spans
from policy_core.tokenizer import token_set

_HEADING = re.compile(r"^(?:附件\s*)?(?:[一二三四五六七八九十]+、|\d{1,3}、|[（(][一二三四五六七八九十]+[）)])")
_AMOUNT_BONUS = 0.15


def query_weights(analysis: QueryAnalysis, idf: dict[str, float]) -> dict[str, float]:
    """IDF of each search token the corpus knows."""
    return {t: idf[t] for t in set(analysis.tokens) if t in idf}


def sentence_scores(text: str, weights: dict[str, float], wants_amount: bool) -> list[tuple[float, int, int]]:
    """(score, start, end) of each quotable sentence of `text` (not the bare heading, not a units note)."""
    total = sum(weights.values()) or 1.0
    scored = []
    for start, end in sentence_spans(text, split_at_semicolons=False):
        sentence = text[start:end]
        if _HEADING.match(sentence) and len(sentence) < 24:
            continue  # the clause heading alone ("五、强化算力普惠供给。")
        if not without_units_tail(sentence).strip():
            continue
        tokens = token_set(sentence)
        score = sum(w for t, w in weights.items() if t in tokens) / total
        if wants_amount and re.search(r"\d", sentence):
            score += _AMOUNT_BONUS
        scored.append((score, start, end))
    return scored


def best_sentence_score(text: str, weights: dict[str, float], wants_amount: bool) -> float:
    return max((s for s, _, _ in sentence_scores(text, weights, wants_amount)), default=0.0)
