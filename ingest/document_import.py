"""`policy-advisor import`: a published file → `corpus/<id>.txt` and its manifest entry, after review.

`plan_import` does everything that can fail — extract the text, detect the
metadata, check that the text cleans and splits into clauses, compare with the
version already in the corpus — and writes nothing; `write_import` then writes
the text and the entry, each atomically. A file that already holds the id is
replaced only when asked (`force`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ingest.clause_diff import ClauseDiff, clause_texts, diff_clauses
from ingest.clause_splitter import split_clauses
from ingest.importers import ImportRefused, import_document
from ingest.manifest import MANIFEST_NAME, read_policy_text
from ingest.manifest_writer import render_entry, with_entry, write_atomically
from ingest.metadata_detector import DetectedMetadata, detect_metadata
from ingest.records import PolicyMetadata
from ingest.text_cleaner import CleaningError, clean_policy_text
from policy_core.settings import Settings


@dataclass(frozen=True)
class ImportPlan:
    """What an import would write, and what the maintainer should review first."""

    doc: PolicyMetadata
    text: str
    entry: str
    detected: DetectedMetadata
    clause_labels: tuple[str, ...]
    notes: tuple[str, ...]
    replaces: bool
    """An entry or a file with this id is already in the corpus."""
    diff: ClauseDiff | None
    """Clause changes against the version in the corpus (when there is one)."""

    @property
    def missing(self) -> list[str]:
        return self.detected.missing


def plan_import(path: Path, doc_id: str, settings: Settings, *, title: str = "", supersedes: str = "") -> ImportPlan:
    imported = import_document(path, settings.import_max_bytes)
    detected = detect_metadata(imported)
    if title:
        detected.title, detected.found_in["title"] = title.strip(), "--title"
    if not detected.title:
        raise ImportRefused(f"{path.name}: no title found in the text; give it with --title")
    text = _with_title_line(imported.text, detected.title)
    doc = _metadata(doc_id, detected, supersedes)
    entries = _manifest_entries(settings.corpus_dir)
    if supersedes and supersedes not in {entry.get("id") for entry in entries}:
        raise ImportRefused(f"--supersedes {supersedes!r}: no such id in {MANIFEST_NAME}")
    clauses = split_clauses(clean_policy_text(text, doc.title), doc.title)
    if not clauses:
        raise ImportRefused(f"{path.name}: no clauses found after the title {doc.title!r}")
    existing = next((entry for entry in entries if entry.get("id") == doc_id), None)
    return ImportPlan(
        doc=doc,
        text=text,
        entry=render_entry(doc, detected.missing),
        detected=detected,
        clause_labels=tuple(c.label for c in clauses),
        notes=imported.notes,
        replaces=existing is not None or (settings.corpus_dir / doc.file).exists(),
        diff=_diff_with_existing(existing, settings.corpus_dir, text, doc.title),
    )


def write_import(plan: ImportPlan, settings: Settings) -> Path:
    """Write the text and the manifest entry; returns the text's path."""
    target = settings.corpus_dir / plan.doc.file
    manifest_path = settings.corpus_dir / MANIFEST_NAME
    manifest = read_policy_text(manifest_path) if manifest_path.is_file() else ""
    write_atomically(target, plan.text)
    write_atomically(manifest_path, with_entry(manifest, plan.doc.id, plan.entry))
    return target


def _with_title_line(text: str, title: str) -> str:
    """The text as is when its title stands on a line of its own (the cleaner starts there), else with it added first."""
    try:
        clean_policy_text(text, title)
    except CleaningError:
        return f"{title}\n{text}"
    return text


def _metadata(doc_id: str, detected: DetectedMetadata, supersedes: str) -> PolicyMetadata:
    if detected.effective_from and detected.valid_until and detected.effective_from > detected.valid_until:
        detected.valid_until = None  # a misread date: leave it to the maintainer (listed as missing)
    fields = {name: getattr(detected, name) for name in ("title", "doc_number", "issuer", "region", "issued", "effective_from", "valid_until")}
    try:
        return PolicyMetadata(id=doc_id, file=f"{doc_id}.txt", supersedes=supersedes, **fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ImportRefused(f"--id {doc_id!r}: {problems} (use lowercase letters, digits and hyphens)") from None


def _manifest_entries(corpus_dir: Path) -> list[dict]:
    path = corpus_dir / MANIFEST_NAME
    if not path.is_file():
        return []
    try:
        entries = tomllib.loads(read_policy_text(path)).get("documents", [])
    except tomllib.TOMLDecodeError as exc:
        raise ImportRefused(f"{MANIFEST_NAME} is not valid TOML, fix it first: {exc}") from None
    return [entry for entry in entries if isinstance(entry, dict)]


def _diff_with_existing(existing: dict | None, corpus_dir: Path, text: str, title: str) -> ClauseDiff | None:
    if existing is None or not (corpus_dir / str(existing.get("file", ""))).is_file():
        return None
    try:
        old = clause_texts(read_policy_text(corpus_dir / existing["file"]), str(existing.get("title", "")))
    except CleaningError:
        return None
    return diff_clauses(old, clause_texts(text, title))
