"""What the index computes at load time equals what a pass over the chunks would give."""

from __future__ import annotations

import numpy as np

from app.retrieval.hybrid_retriever import _top_indices
from app.retrieval.policy_index import PolicyIndex, idf_from_bm25
from policy_core.tokenizer import chunk_tokens


def test_idf_read_from_the_bm25_index_equals_counting_the_chunk_tokens(settings):
    snap = PolicyIndex(settings).snapshot()
    counts: dict[str, int] = {}
    for chunk in snap.chunks:
        for token in set(chunk_tokens(chunk.label, chunk.text)):
            counts[token] = counts.get(token, 0) + 1
    n = len(snap.chunks)
    counted = {token: float(np.log((n + 1) / (c + 0.5))) for token, c in counts.items()}
    assert idf_from_bm25(snap.bm25, n) == counted
    assert snap.idf == counted


def test_top_indices_of_a_large_index_are_the_highest_scores_in_order():
    rng = np.random.default_rng(16)
    scores = rng.random(50_000).astype(np.float32)
    scores[[7, 70, 700]] = 2.0  # a tie at the top
    top = _top_indices(scores, 20)
    assert top[:3] == [700, 70, 7]
    assert top == [int(i) for i in sorted(range(len(scores)), key=lambda i: (-scores[i], -i))[:20]]
    small = scores[:100]
    assert _top_indices(small, 5) == small.argsort()[::-1][:5].tolist()
