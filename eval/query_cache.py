"""An embedder wrapper that remembers query vectors, so one golden row embeds its question once.

Per row the evaluation answers the question (timed), then asks the same
retrieval again for its ranks, and the dense-only retriever and the LangChain
baseline search it too. The runner clears the cache before each row's answer,
so the timed answer always pays for its own embedding.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings


class MemoizedQueryEmbeddings(Embeddings):
    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)
        self.dimension = getattr(inner, "dimension", None)
        self._queries: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        vector = self._queries.get(text)
        if vector is None:
            vector = self._queries[text] = self.inner.embed_query(text)
        return vector

    def clear(self) -> None:
        self._queries.clear()
