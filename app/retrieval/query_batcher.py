"""Query embeddings batched across concurrent requests.

Under load, many requests want a question vector at the same moment. Each engine
call has a fixed cost and starts its own OpenMP team, so twenty threads embedding
one question each fight over two cores. Here at most `lanes` calls run at once (EMBED_LANES;
2 with a one-thread engine, EMBEDDER_THREADS=1, suits a dedicated server); a caller that finds a lane free
embeds at once, callers that arrive while the lanes are busy queue up, and the next of
them to get a lane embeds the whole queue in one batched call. A lone request never
waits for company.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from langchain_core.embeddings import Embeddings

from ingest.embedders import embed_queries


@dataclass
class _Request:
    text: str
    vector: list[float] | None = None
    error: BaseException | None = None
    done: bool = field(default=False)


class QueryBatcher:
    """Thread-safe `embed(text)`: the same vector as `embedder.embed_query(text)`, computed in batches."""

    def __init__(self, embedder: Embeddings, lanes: int = 1, max_batch: int = 32) -> None:
        self.embedder = embedder
        self.lanes = max(1, lanes)
        self.max_batch = max_batch
        self._changed = threading.Condition()
        self._pending: list[_Request] = []
        self._running = 0

    @property
    def pending(self) -> int:
        """Questions waiting for the running batch to finish."""
        with self._changed:
            return len(self._pending)

    def embed(self, text: str) -> list[float]:
        request = _Request(text)
        with self._changed:
            self._pending.append(request)
        while True:
            with self._changed:
                while not request.done and self._running >= self.lanes:
                    self._changed.wait()
                if request.done:
                    return self._result(request)
                # A lane is free and this request is still queued: lead the next batch
                # (a queue longer than max_batch takes more than one round).
                batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
                self._running += 1
            self._run(batch)

    def _run(self, batch: list[_Request]) -> None:
        try:
            vectors = embed_queries(self.embedder, [r.text for r in batch])
            for r, vector in zip(batch, vectors, strict=True):
                r.vector = vector
        except BaseException as exc:  # every caller of the batch sees the failure, as it would alone
            for r in batch:
                r.error = exc
        finally:
            with self._changed:
                for r in batch:
                    r.done = True
                self._running -= 1
                self._changed.notify_all()

    @staticmethod
    def _result(request: _Request) -> list[float]:
        if request.error is not None:
            raise request.error
        assert request.vector is not None
        return request.vector
