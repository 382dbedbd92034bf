"""Split clauses into index chunks: whole when short, at sentence boundaries when long.

A long clause is cut only after 。；！？ or after a "（责任单位：…）" annotation, and
sentences are packed greedily up to the size limit. A single sentence longer
than the limit is cut at a jieba word boundary after a comma, so a word or a
number ("100 万元", "2000卡时") is never split.
"""

from __future__ import annotations

from ingest.records import Chunk, Clause
from policy_core.responsible_units import parse_units
from policy_core.sentences import sentence_spans
from policy_core.tokenizer import word_spans


def chunk_clause(doc_id: str, clause: Clause, cleaned: str, max_chars: int) -> list[Chunk]:
    text = cleaned[clause.start : clause.end]
    if len(text) <= max_chars:
        return [Chunk(doc_id, clause.label, clause.start, clause.end, text, 0, clause.units)]
    pieces: list[tuple[int, int]] = []
    for start, end in sentence_spans(text, clause.start):
        pieces.extend(_split_long_sentence(cleaned, start, end, max_chars))
    chunks: list[Chunk] = []
    group_start, group_end = pieces[0]
    for start, end in pieces[1:]:
        if end - group_start > max_chars:
            chunks.append(_make_chunk(doc_id, clause, cleaned, group_start, group_end, len(chunks)))
            group_start = start
        group_end = end
    chunks.append(_make_chunk(doc_id, clause, cleaned, group_start, group_end, len(chunks)))
    return chunks


def _make_chunk(doc_id: str, clause: Clause, cleaned: str, start: int, end: int, part: int) -> Chunk:
    text = cleaned[start:end]
    # Units annotate the sentences before them: a chunk without its own annotation
    # takes the next one in the clause, or the clause's when there is none.
    following = cleaned[start : clause.end]
    units = tuple(parse_units(text) or parse_units(following)[:3]) or clause.units
    return Chunk(doc_id, clause.label, start, end, text, part, units)


def _split_long_sentence(cleaned: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    if end - start <= max_chars:
        return [(start, end)]
    text = cleaned[start:end]
    words = word_spans(text)
    # Prefer a cut after a comma; any word boundary will do when there is none.
    boundaries = [e for s, e in words if text[s:e] in ("，", ",", "、", "：", ":")] or [e for _, e in words]
    pieces, prev = [], 0
    for cut in _greedy(boundaries, len(text), max_chars):
        pieces.append((start + prev, start + cut))
        prev = cut
    return pieces


def _greedy(boundaries: list[int], length: int, max_chars: int) -> list[int]:
    """Cut points (ending with `length`) so that pieces stay under `max_chars` where a boundary allows."""
    cuts, prev, best = [], 0, None
    for b in boundaries:
        if b >= length:
            break
        if b - prev > max_chars and best is not None:
            cuts.append(best)
            prev = best
        best = b
    cuts.append(length)
    return cuts
