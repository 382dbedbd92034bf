"""The index kept whole on a Chroma server, so app machines (replicas) need no ingest of their own.

With `CHROMA_HOST` set, ingest writes to the server, besides the chunk vectors
(`policies_<v>`):

    policyfiles_<v>    the version's files (docs.json, chunks.json, provisions.json), in parts
    policy_current     one record: the answering `IndexVersion`, written last

A replica copies the files of the version `policy_current` names into its own
data home, builds the BM25 index from the chunks there (the same tokens ingest
uses), and only then points its local `current.json` at it: a half-copied
version is never read.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from ingest.index_store import VERSIONED_PREFIXES, IndexBrokenError, IndexVersion, read_version_files, version_dir, write_version_files
from ingest.provisions import PROVISIONS_FILE
from ingest.records import Chunk, PolicyDoc
from policy_core.tokenizer import chunk_tokens

FILES_PREFIX = VERSIONED_PREFIXES[1]
CURRENT_COLLECTION = "policy_current"
SHARED_FILES = ("docs.json", "chunks.json", PROVISIONS_FILE)
PART_CHARS = 100_000
_PLACEHOLDER_VECTOR = [0.0]  # Chroma stores a vector with every record; these records are looked up by id only


def files_collection_name(version: str) -> str:
    return FILES_PREFIX + version


def _files_collection(client: Any, version: str, create: bool = False) -> Any:
    name = files_collection_name(version)
    if create:
        return client.get_or_create_collection(name, embedding_function=None)
    return client.get_collection(name, embedding_function=None)


def publish_version_files(client: Any, version: str, folder: Path) -> None:
    """Upload the version folder's shared files (not the BM25 index: replicas rebuild it)."""
    try:
        client.delete_collection(files_collection_name(version))  # leftover of a killed run
    except Exception:
        pass
    collection = _files_collection(client, version, create=True)
    for name in SHARED_FILES:
        path = folder / name
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        parts = [text[i : i + PART_CHARS] for i in range(0, len(text), PART_CHARS)] or [""]
        collection.add(
            ids=[f"{name}:{i}" for i in range(len(parts))],
            documents=parts,
            metadatas=[{"file": name, "part": i, "parts": len(parts)} for i in range(len(parts))],
            embeddings=[_PLACEHOLDER_VECTOR] * len(parts),
        )


def server_has_files(client: Any, version: str) -> bool:
    try:
        collection = _files_collection(client, version)
        got = collection.get(ids=[f"{name}:0" for name in SHARED_FILES], include=["metadatas"])
    except Exception:
        return False
    if len(got["ids"]) != len(SHARED_FILES):
        return False
    return collection.count() == sum(m["parts"] for m in got["metadatas"])


def _download_files(client: Any, version: str) -> dict[str, str]:
    try:
        got = _files_collection(client, version).get(include=["documents", "metadatas"])
    except Exception as exc:
        raise IndexBrokenError(
            f"the Chroma server has no files for index version {version} ({exc}); run `policy-advisor ingest`"
        ) from exc
    pieces: dict[str, dict[int, str]] = {}
    expected: dict[str, int] = {}
    for text, meta in zip(got["documents"], got["metadatas"]):
        pieces.setdefault(meta["file"], {})[meta["part"]] = text or ""
        expected[meta["file"]] = meta["parts"]
    if set(pieces) != set(SHARED_FILES) or any(len(pieces[f]) != expected[f] for f in SHARED_FILES):
        raise IndexBrokenError(f"the Chroma server's files for index version {version} are incomplete; run `policy-advisor ingest`")
    return {name: "".join(pieces[name][i] for i in range(expected[name])) for name in SHARED_FILES}


def write_server_version(client: Any, current: IndexVersion) -> None:
    """Point every replica at `current` (one record, replaced in one call)."""
    collection = client.get_or_create_collection(CURRENT_COLLECTION, embedding_function=None)
    collection.upsert(ids=["current"], documents=[json.dumps(current.__dict__)], embeddings=[_PLACEHOLDER_VECTOR])


def read_server_version(client: Any) -> IndexVersion | None:
    """The version the server says answers; None before the first ingest. Connection errors propagate."""
    try:
        collection = client.get_collection(CURRENT_COLLECTION, embedding_function=None)
    except Exception as exc:
        if "does not exist" in str(exc) or "not found" in str(exc).lower():
            return None
        raise
    got = collection.get(ids=["current"], include=["documents"])
    if not got["ids"]:
        return None
    try:
        return IndexVersion(**json.loads(got["documents"][0]))
    except (ValueError, TypeError) as exc:
        raise IndexBrokenError(f"the Chroma server's {CURRENT_COLLECTION} record is unreadable ({exc}); run `policy-advisor ingest`") from exc


def _local_copy_complete(index_dir: Path, version: str) -> bool:
    folder = version_dir(index_dir, version)
    if not all((folder / name).is_file() for name in ("docs.json", "chunks.json")) or not (folder / "bm25").is_dir():
        return False
    try:
        read_version_files(folder)
    except IndexBrokenError:
        return False
    return True


def sync_from_server(client: Any, index_dir: Path, current: IndexVersion) -> None:
    """Make `current` the local answering version: copy its files, build BM25, then switch `current.json`."""
    index_dir.mkdir(parents=True, exist_ok=True)
    if not _local_copy_complete(index_dir, current.version):
        files = _download_files(client, current.version)
        docs = [PolicyDoc.model_validate(d) for d in json.loads(files["docs.json"])]
        chunks = [Chunk.from_json(c) for c in json.loads(files["chunks.json"])]
        staging = index_dir / "staging" / current.version
        write_version_files(staging, docs, chunks, [chunk_tokens(c.label, c.text) for c in chunks])
        if files[PROVISIONS_FILE]:
            (staging / PROVISIONS_FILE).write_text(files[PROVISIONS_FILE], encoding="utf-8")
        target = version_dir(index_dir, current.version)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(target)
    try:
        local = IndexVersion.read(index_dir)
    except IndexBrokenError:
        local = None
    if local != current:
        current.write(index_dir)
    for folder in (index_dir / "versions").iterdir():
        if folder.name != current.version:  # the replaced version is already in memory, or not needed
            shutil.rmtree(folder, ignore_errors=True)
