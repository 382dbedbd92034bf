"""The index: a Chroma collection of chunk vectors, a BM25 index and the documents, versioned.

Layout under the data home:

    index/current.json          which version answers (replaced atomically)
    index/versions/<v>/         docs.json, chunks.json, bm25/
    chroma/                     embedded Chroma (unused when CHROMA_HOST is set)

Each ingest writes a complete new version (collection `policies_<v>` plus its
folder) and only then points `current.json` at it, so a failed or killed run
leaves the previous version answering. Old versions are removed afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s

from ingest.records import Chunk, PolicyDoc
from policy_core.errors import AdvisorError
from policy_core.settings import Settings

COLLECTION_PREFIX = "policies_"
VERSIONED_PREFIXES = (COLLECTION_PREFIX, "policyfiles_")  # chunk vectors; a version's files (ingest/server_index.py)


class IndexProblem(AdvisorError):
    """Base for index problems that a user can act on; the message says what to do."""


class IndexMissingError(IndexProblem):
    pass


class IndexBrokenError(IndexProblem):
    pass


class EmbedderMismatchError(IndexProblem):
    pass


class ChromaUnavailableError(IndexProblem):
    pass


def chroma_client(settings: Settings) -> Any:
    """Embedded Chroma under the data home, or the server named by CHROMA_HOST/CHROMA_PORT."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
            client.heartbeat()
            return client
        path = settings.advisor_home / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:  # chromadb raises plain Exception/ValueError for connection problems
        where = f"Chroma server at {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else f"embedded Chroma at {settings.advisor_home / 'chroma'}"
        raise ChromaUnavailableError(f"cannot open {where}: {exc}") from exc


@dataclass
class IndexVersion:
    """What `current.json` records about the answering version."""

    version: str
    collection: str
    embedder: str
    dimension: int
    chunk_count: int
    built_at: str

    @classmethod
    def read(cls, index_dir: Path) -> "IndexVersion | None":
        path = index_dir / "current.json"
        if not path.exists():
            return None
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError) as exc:
            raise IndexBrokenError(f"{path} is unreadable ({exc}); run `policy-advisor ingest` to rebuild the index") from exc

    def write(self, index_dir: Path) -> None:
        """Replace current.json atomically (write a temp file, fsync, rename)."""
        tmp = index_dir / f"current.json.{os.getpid()}.tmp"
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(self.__dict__, handle, ensure_ascii=False, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, index_dir / "current.json")


def version_dir(index_dir: Path, version: str) -> Path:
    return index_dir / "versions" / version


def write_version_files(folder: Path, docs: list[PolicyDoc], chunks: list[Chunk], bm25_tokens: list[list[str]]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "docs.json").write_text(json.dumps([d.model_dump(mode="json") for d in docs], ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "chunks.json").write_text(json.dumps([c.to_json() for c in chunks], ensure_ascii=False, indent=1), encoding="utf-8")
    bm25 = bm25s.BM25()
    bm25.index(bm25_tokens, show_progress=False)
    bm25.save(str(folder / "bm25"), show_progress=False)


def read_version_files(folder: Path) -> tuple[list[PolicyDoc], list[Chunk], bm25s.BM25]:
    """The version's documents and chunks as typed records, and its BM25 index."""
    try:
        docs = [PolicyDoc.model_validate(d) for d in json.loads((folder / "docs.json").read_text(encoding="utf-8"))]
        chunks = [Chunk.from_json(c) for c in json.loads((folder / "chunks.json").read_text(encoding="utf-8"))]
        # Memory-mapped: the score matrix stays in the page cache, shared by worker processes.
        bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False, mmap=True)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexBrokenError(f"index files in {folder} are damaged ({exc}); run `policy-advisor ingest` to rebuild") from exc
    return docs, chunks, bm25


def remove_stale_versions(client: Any, index_dir: Path, keep: str, keep_on_server: str | None = None) -> None:
    """Drop collections and folders of versions other than `keep` (left by earlier or killed runs).

    `keep_on_server`: the version just replaced, whose collections replicas of a Chroma
    server may still be answering from until they have loaded `keep`."""
    kept = {keep, keep_on_server}
    for collection in client.list_collections():
        name = collection if isinstance(collection, str) else collection.name
        for prefix in VERSIONED_PREFIXES:
            if name.startswith(prefix) and name[len(prefix) :] not in kept:
                client.delete_collection(name)
    versions = index_dir / "versions"
    if versions.exists():
        for folder in versions.iterdir():
            if folder.name != keep:
                shutil.rmtree(folder, ignore_errors=True)
    for tmp in index_dir.glob("current.json.*.tmp"):
        tmp.unlink(missing_ok=True)
