"""The outside baseline: the stock LangChain RAG recipe over the same corpus and embedder.

RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50) over the raw
policy texts (as a TextLoader would read them), an in-memory Chroma
collection, and plain dense top-k similarity search. It has no notion of
clauses, so a hit is a retrieved chunk that contains the evidence quote.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from ingest.manifest import load_manifest, read_policy_text

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50


class LangChainBaseline:
    def __init__(self, corpus_dir: Path, embedder: Embeddings, k: int) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        texts = [
            Document(page_content=read_policy_text(corpus_dir / doc.file), metadata={"doc_id": doc.id})
            for doc in load_manifest(corpus_dir)
        ]
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        self.chunks = splitter.split_documents(texts)
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        # A fresh name: ephemeral clients in one process share their in-memory store.
        self._name = f"langchain-baseline-{uuid.uuid4().hex[:8]}"
        self.store = Chroma(collection_name=self._name, embedding_function=embedder, client=client)
        self.store.add_documents(self.chunks)
        self.k = k

    def search(self, question: str) -> list[str]:
        """The texts of the top-k chunks for the question, best first."""
        return [doc.page_content for doc in self.store.similarity_search(question, k=self.k)]

    def close(self) -> None:
        self.store.delete_collection()
