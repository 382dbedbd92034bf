"""`ingest`: corpus → cleaned text → clauses → chunks → a new index version, atomically.

Idempotent: chunk ids derive from content, the version id from the chunk ids,
the document metadata and the embedder; an unchanged corpus embeds nothing,
and a changed one embeds only the chunks the current version lacks.
One writer at a time: a file lock under the data home refuses a second run
(the OS drops the lock if a run is killed, so kill -9 never wedges it).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

from filelock import FileLock, Timeout

from ingest.chunker import chunk_clause
from ingest.clause_splitter import split_clauses
from ingest.embedders import make_embedder
from ingest.index_store import (
    COLLECTION_PREFIX,
    IndexProblem,
    IndexVersion,
    chroma_client,
    remove_stale_versions,
    version_dir,
    write_version_files,
)
from ingest.manifest import load_manifest, read_policy_text
from ingest.provision_check import checked_provisions
from ingest.provisions import Provision, write_index_provisions
from ingest.server_index import publish_version_files, read_server_version, server_has_files, sync_from_server, write_server_version
from ingest.records import Chunk, Clause, PolicyDoc, PolicyMetadata
from ingest.text_cleaner import CleaningError, clean_policy_text
from policy_core.errors import AdvisorError
from policy_core.settings import Settings
from policy_core.tokenizer import VOCABULARY_DIR, chunk_tokens


class IngestLockedError(AdvisorError):
    """Another ingest holds the lock."""


class CorpusError(AdvisorError):
    """A document cannot be cleaned or split; the message names it."""


@dataclass
class IngestReport:
    version: str
    documents: int
    chunks: int
    embedded: int
    reused: int
    unchanged: bool
    seconds: float


def embedding_text(doc_title: str, label: str, text: str) -> str:
    """What is embedded for a chunk: its policy and clause give the vectors context."""
    return f"{doc_title} {label}\n{text}"


def prepare_corpus(settings: Settings) -> tuple[list[PolicyDoc], list[Chunk]]:
    """Read, clean and split every document of the manifest; no index is touched."""
    docs: list[PolicyDoc] = []
    chunks: list[Chunk] = []
    for doc in load_manifest(settings.corpus_dir):
        raw = read_policy_text(settings.corpus_dir / doc.file)
        try:
            cleaned = clean_policy_text(raw, doc.title)
        except CleaningError as exc:
            raise CorpusError(f"[{doc.id}] {doc.file}: {exc}") from None
        clauses = split_clauses(cleaned, doc.title)
        if not clauses:
            raise CorpusError(f"[{doc.id}] {doc.file}: no clauses found after the title")
        docs.append(_doc_record(doc, cleaned, clauses))
        for clause in clauses:
            chunks.extend(chunk_clause(doc.id, clause, cleaned, settings.chunk_max_chars))
    return docs, chunks


def _doc_record(doc: PolicyMetadata, cleaned: str, clauses: list[Clause]) -> PolicyDoc:
    return PolicyDoc(**dict(doc), cleaned_text=cleaned, clauses=tuple(clauses))


# Bump when what ingest writes changes shape; the vocabulary is hashed in as well, so
# editing the jieba dictionary or stopwords rebuilds the BM25 index on the next ingest.
INDEX_FORMAT = 2


def _version_id(embedder: str, docs: list[PolicyDoc], chunks: list[Chunk], provisions: list[Provision] | None = None) -> str:
    metadata = [d.model_dump(mode="json", exclude={"cleaned_text", "clauses"}) for d in docs]
    vocabulary = [p.read_text(encoding="utf-8") for p in sorted(VOCABULARY_DIR.glob("*.txt"))]
    parts = [INDEX_FORMAT, embedder, metadata, [c.id for c in chunks], vocabulary]
    if provisions:  # reviewed provisions are part of a version: editing one builds a new version
        parts.append([p.model_dump(mode="json") for p in provisions])
    payload = json.dumps(parts, ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(payload.encode()).hexdigest()[:12]


def run_ingest(settings: Settings, progress: Callable[[str], None] = lambda _msg: None) -> IngestReport:
    settings.advisor_home.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.advisor_home / "ingest.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise IngestLockedError(
            f"another ingest is running (lock {settings.advisor_home / 'ingest.lock'}); wait for it to finish"
        ) from None
    try:
        return _ingest_locked(settings, progress)
    finally:
        lock.release()


def _ingest_locked(settings: Settings, progress: Callable[[str], None]) -> IngestReport:
    started = time.perf_counter()
    docs, chunks = prepare_corpus(settings)
    provisions = checked_provisions(settings.corpus_dir, docs)  # a provision its text does not bear out stops here
    progress(f"{len(docs)} documents, {len(chunks)} chunks, {len(provisions)} provisions")
    embedder = make_embedder(settings.embedder)  # every core: ingest is one big batch
    index_dir = settings.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    version = _version_id(embedder.name, docs, chunks, provisions)
    client = chroma_client(settings)
    current = _answering_version(settings, client)

    if current and current.version == version and _complete(settings, client, current):
        if settings.chroma_host:
            sync_from_server(client, index_dir, current)
        remove_stale_versions(client, index_dir, keep=version)
        return IngestReport(version, len(docs), len(chunks), 0, len(chunks), True, time.perf_counter() - started)

    reused = _reusable_vectors(client, current, embedder.name, [c.id for c in chunks])
    titles = {d.id: d.title for d in docs}
    to_embed = [c for c in chunks if c.id not in reused]
    progress(f"embedding {len(to_embed)} chunks ({len(reused)} reused)")
    fresh = embedder.embed_documents([embedding_text(titles[c.doc_id], c.label, c.text) for c in to_embed])
    vectors = {**reused, **{c.id: v for c, v in zip(to_embed, fresh)}}
    dimension = len(next(iter(vectors.values())))

    collection_name = COLLECTION_PREFIX + version
    _write_collection(client, collection_name, chunks, vectors, embedder.name, dimension)
    write_version_files(
        version_dir(index_dir, version),
        docs,
        chunks,
        [chunk_tokens(c.label, c.text) for c in chunks],
    )
    write_index_provisions(version_dir(index_dir, version), provisions)
    built = IndexVersion(version, collection_name, embedder.name, dimension, len(chunks), datetime.now(timezone.utc).isoformat())
    replaced = None
    if settings.chroma_host:  # the server holds everything replicas need; its pointer switches them all
        publish_version_files(client, version, version_dir(index_dir, version))
        write_server_version(client, built)
        replaced = current.version if current else None
    built.write(index_dir)
    remove_stale_versions(client, index_dir, keep=version, keep_on_server=replaced)
    return IngestReport(version, len(docs), len(chunks), len(to_embed), len(reused), False, time.perf_counter() - started)


def _answering_version(settings: Settings, client: Any) -> IndexVersion | None:
    """The version answering now: the Chroma server's pointer with `CHROMA_HOST`, else `current.json`."""
    try:
        if settings.chroma_host:
            return read_server_version(client)
        return IndexVersion.read(settings.index_dir)
    except IndexProblem:
        return None


def _complete(settings: Settings, client: Any, current: IndexVersion) -> bool:
    """The current version's collection and files are all there (on the server, with `CHROMA_HOST`)."""
    if settings.chroma_host:
        if not server_has_files(client, current.version):
            return False
    elif not (version_dir(settings.index_dir, current.version) / "bm25").is_dir():
        return False
    try:
        return client.get_collection(current.collection).count() == current.chunk_count
    except Exception:
        return False


def _reusable_vectors(client: Any, current: IndexVersion | None, embedder: str, ids: list[str]) -> dict[str, list[float]]:
    """Vectors of the current version for chunks that are unchanged, when the embedder is the same."""
    if current is None or current.embedder != embedder:
        return {}
    try:
        got = client.get_collection(current.collection).get(ids=ids, include=["embeddings"])
    except Exception:
        return {}
    return {cid: list(map(float, vec)) for cid, vec in zip(got["ids"], got["embeddings"])}


def _write_collection(client: Any, name: str, chunks: list[Chunk], vectors: dict, embedder: str, dimension: int) -> None:
    try:
        client.delete_collection(name)  # a leftover of a killed run with the same content
    except Exception:
        pass
    collection = client.create_collection(
        name,
        embedding_function=None,
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"embedder": embedder, "dimension": dimension},
    )
    batch = 64
    for i in range(0, len(chunks), batch):
        part = chunks[i : i + batch]
        collection.add(
            ids=[c.id for c in part],
            embeddings=[vectors[c.id] for c in part],
            documents=[c.text for c in part],
            metadatas=[{"doc_id": c.doc_id, "label": c.label, "start": c.start, "end": c.end} for c in part],
        )
