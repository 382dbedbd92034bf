"""The answering index version, loaded once per process: documents, chunks, BM25, vectors.

It notices when an ingest has switched `current.json` to a new version and
reloads, so a running server answers from the new corpus without a restart.
With `CHROMA_HOST` the Chroma server names the version instead: the index is
copied from it at start-up and again, in the background, when it changes, while
the loaded version keeps answering (see `chroma_watch.py`).
"""

from __future__ import annotations

import logging
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
    ChromaUnavailableError,
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

from app.retrieval.chroma_watch import ChromaServerWatch

log = logging.getLogger(__name__)

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
        self.server = ChromaServerWatch(settings) if settings.chroma_host else None
        self._refreshing = False
        if self.server is not None:
            self._sync_at_start(self.server)
        self._check_embedder_before_loading()
        self.embedder = embedder or make_embedder(settings.embedder, settings.embedder_threads)
        self._batcher = QueryBatcher(self.embedder, lanes=settings.embed_lanes)
        self._snapshot = self._load()
        self._checked_at = time.monotonic()
        # Popular questions (the page's examples, a widget's FAQ) recur: embed each once.
        self._vectors: LRUCache[str, list[float]] = LRUCache(maxsize=4096)
        self._vectors_lock = threading.Lock()

    def _sync_at_start(self, server: ChromaServerWatch) -> None:
        latest = server.latest_version()
        if latest is None:
            if not server.reachable:
                raise ChromaUnavailableError(
                    f"cannot read the index version from the Chroma server at {self.settings.chroma_host}:{self.settings.chroma_port}"
                )
            raise IndexMissingError("the Chroma server holds no index yet; run `policy-advisor ingest` (once, on any machine)")
        server.sync(latest)

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
            if self.server is not None:
                return self._snapshot_from_server(now)
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

    def _snapshot_from_server(self, now: float) -> IndexSnapshot:
        """The loaded version; every INDEX_CHECK_SECONDS a background thread asks the server for a newer one."""
        if now - self._checked_at >= self.settings.index_check_seconds and not self._refreshing:
            self._checked_at = now
            self._refreshing = True
            threading.Thread(target=self._refresh_from_server, name="index-refresh", daemon=True).start()
        return self._snapshot

    def _refresh_from_server(self) -> None:
        """Copy and load a new version, then swap it in whole; on any failure keep answering from the old one."""
        assert self.server is not None
        try:
            latest = self.server.latest_version()
            if latest is not None and latest.version != self._snapshot.version.version:
                self.server.sync(latest)
                fresh = self._load()
                with self._lock:
                    self._snapshot = fresh
                log.warning("now answering from index version %s", latest.version)
        except Exception:
            log.exception("could not load the new index version from the Chroma server; the loaded one keeps answering")
        finally:
            with self._lock:
                self._refreshing = False

    def chroma_reachable(self) -> bool:
        """For /healthz: the Chroma server answers (always true for embedded Chroma)."""
        return self.server is None or self.server.check()

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
        try:
            result = snap.collection.query(
                query_embeddings=[query_vector], n_results=min(limit, len(snap.chunks)), include=["distances"]
            )
        except Exception as exc:
            if self.server is not None:
                self.server.note_failure(exc)
            raise
        if self.server is not None:
            self.server.note_success()
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
