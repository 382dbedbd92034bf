"""The answering index version, loaded once per process: documents, chunks, BM25, vectors.

It notices when an ingest has switched `current.json` to a new version and
reloads, so a running server answers from the new corpus without a restart.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from cachetools import LRUCache
from langchain_core.embeddings import Embeddings

from app.retrieval.query_batcher import QueryBatcher
from ingest.embedders import embedder_name, make_embedder
from ingest.index_store import (
    EmbedderMismatchError,
    IndexBrokenError,
    IndexMissingError,
    IndexVersion,
    chroma_client,
    read_version_files,
    version_dir,
)
from ingest.provisions import Provision, read_index_provisions
from ingest.records import Chunk, PolicyDoc
from policy_core.settings import Settings


VERSION_CHECK_SECONDS = 1.0


@dataclass
class IndexSnapshot:
    version: IndexVersion
    docs: dict[str, PolicyDoc]
    chunks: list[Chunk]
    position: dict[str, int]
    bm25: Any
    collection: Any
    idf: dict[str, float] = field(default_factory=dict)
    clause_chunks: dict[tuple[str, str], list[Chunk]] = field(default_factory=dict)
    provisions: list[Provision] = field(default_factory=list)
    """The reviewed provisions this version was built with (checked against its clauses by ingest)."""


class PolicyIndex:
    """Thread-safe access to the current index version and the query embedder."""

    def __init__(self, settings: Settings, embedder: Embeddings | None = None) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._check_embedder_before_loading()
        self.embedder = embedder or make_embedder(settings.embedder, settings.embedder_threads)
        self._batcher = QueryBatcher(self.embedder, lanes=settings.embed_lanes)
        self._snapshot = self._load()
        self._checked_at = time.monotonic()
        # Popular questions (the page's examples, a widget's FAQ) recur: embed each once.
        self._vectors: LRUCache[str, list[float]] = LRUCache(maxsize=4096)
        self._vectors_lock = threading.Lock()

    def _check_embedder_before_loading(self) -> None:
        current = IndexVersion.read(self.settings.index_dir)
        if current is None:
            raise IndexMissingError(
                f"no index under {self.settings.index_dir}; run `policy-advisor ingest` first"
            )
        wanted = embedder_name(self.settings.embedder)
        if current.embedder != wanted:
            raise EmbedderMismatchError(
                f"the index was built with {current.embedder} ({current.dimension} dimensions) but EMBEDDER "
                f"is {wanted}; run `policy-advisor ingest` to re-ingest with the new embedder"
            )

    def _load(self) -> IndexSnapshot:
        current = IndexVersion.read(self.settings.index_dir)
        if current is None:
            raise IndexMissingError(f"no index under {self.settings.index_dir}; run `policy-advisor ingest` first")
        folder = version_dir(self.settings.index_dir, current.version)
        docs, chunks, bm25 = read_version_files(folder)
        provisions = read_index_provisions(folder)
        client = chroma_client(self.settings)
        try:
            collection = client.get_collection(current.collection)
        except Exception as exc:
            raise IndexBrokenError(
                f"collection {current.collection} is missing from Chroma ({exc}); run `policy-advisor ingest`"
            ) from exc
        meta = collection.metadata or {}
        if meta.get("embedder") != self.embedder.name:
            raise EmbedderMismatchError(
                f"collection {current.collection} holds {meta.get('embedder')} vectors but EMBEDDER is "
                f"{self.embedder.name}; run `policy-advisor ingest` to re-ingest"
            )
        snapshot = IndexSnapshot(
            current, {d.id: d for d in docs}, chunks, {c.id: i for i, c in enumerate(chunks)}, bm25, collection,
            provisions=provisions,
        )
        snapshot.idf = idf_from_bm25(bm25, len(chunks))
        for chunk in chunks:
            snapshot.clause_chunks.setdefault((chunk.doc_id, chunk.label), []).append(chunk)
        return snapshot

    def snapshot(self) -> IndexSnapshot:
        """The current version; reloaded when an ingest has switched versions (checked at most
        once a second: one answer asks for the snapshot several times). A version that cannot
        be loaded raises on every call until it is repaired, rather than answering silently
        from a corpus the maintainers have replaced."""
        with self._lock:
            now = time.monotonic()
            if now - self._checked_at < VERSION_CHECK_SECONDS:
                return self._snapshot
            try:
                latest = IndexVersion.read(self.settings.index_dir)
            except IndexBrokenError:
                latest = None
            if latest and latest.version != self._snapshot.version.version:
                self._snapshot = self._load()
            self._checked_at = now
            return self._snapshot

    def query_vector(self, text: str) -> list[float]:
        with self._vectors_lock:
            vector = self._vectors.get(text)
        if vector is None:
            vector = self._batcher.embed(text)  # batched with the questions of concurrent requests
            with self._vectors_lock:
                self._vectors[text] = vector
        return vector

    def bm25_scores(self, tokens: list[str]) -> np.ndarray:
        snap = self.snapshot()
        if not tokens:
            return np.zeros(len(snap.chunks), dtype=np.float32)
        return np.asarray(snap.bm25.get_scores(tokens), dtype=np.float32)

    def dense_scores(self, query_vector: list[float], limit: int) -> dict[str, float]:
        """Cosine similarity of the `limit` nearest chunks, by chunk id."""
        snap = self.snapshot()
        result = snap.collection.query(
            query_embeddings=[query_vector], n_results=min(limit, len(snap.chunks)), include=["distances"]
        )
        return {cid: 1.0 - float(d) for cid, d in zip(result["ids"][0], result["distances"][0])}


def idf_from_bm25(bm25: Any, chunk_count: int) -> dict[str, float]:
    """Inverse document frequency of each token over the chunks (for evidence strength).

    BM25 indexed exactly the chunks' tokens, and a token's column in its score matrix
    holds one entry per chunk that contains it, so the document frequencies are the
    column lengths: no second jieba pass over the corpus at start-up (a minute at
    100,000 chunks)."""
    frequencies = np.diff(np.asarray(bm25.scores["indptr"]))
    # bm25s adds an empty token to its vocabulary that no chunk contains and has no column.
    return {
        token: float(np.log((chunk_count + 1) / (frequencies[i] + 0.5)))
        for token, i in bm25.vocab_dict.items()
        if i < len(frequencies) and frequencies[i] > 0
    }
