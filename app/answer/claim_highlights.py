"""Which sentences of a cited clause back the model's claims, for the citation's `highlights`.

The extractive answer knows which sentences it quoted; a generated answer only
says "[2]". The claims marked [2] are compared with the clause's sentences by
shared words (weighted by IDF), and the best one or two sentences are
highlighted, so the page can still point at the exact words behind a claim.
"""

from __future__ import annotations

import re

from policy_core.sentences import sentence_spans
from policy_core.tokenizer import tokenize

_SENTENCE_END = re.compile(r"[。！？!?\n；;]")
_MARKERS_AND_SPACE = re.compile(r"(?:\s*\[\d+\])+\s*$")


def claims_citing(answer: str, ref: int) -> list[str]:
    """The sentences of `answer` that carry the marker [ref] (a marker after the full stop belongs to the sentence before)."""
    claims = []
    for match in re.finditer(rf"\[{ref}\]", answer):
        before = _MARKERS_AND_SPACE.sub("", answer[: match.start()]).rstrip("。！？!?；; ")
        start = max((m.end() for m in _SENTENCE_END.finditer(before)), default=0)
        claims.append(before[start:])
    return claims


def supporting_spans(
    clause_text: str, claims: list[str], idf: dict[str, float], max_sentences: int = 2
) -> list[tuple[int, int]]:
    """[start, end) of the clause sentences sharing the most (IDF-weighted) words with the claims."""
    words = set(tokenize(" ".join(claims)))
    if not words:
        return []
    scored = []
    for start, end in sentence_spans(clause_text, split_at_semicolons=False):
        shared = words & set(tokenize(clause_text[start:end]))
        score = sum(idf.get(w, 1.0) for w in shared)
        if score > 0:
            scored.append((score, start, end))
    if not scored:
        return []
    scored.sort(key=lambda s: s[0], reverse=True)
    best = scored[0][0]
    chosen = [s for s in scored[:max_sentences] if s[0] >= 0.6 * best]
    return sorted((start, end) for _, start, end in chosen)
