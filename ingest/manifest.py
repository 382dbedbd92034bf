"""The corpus manifest: one entry per policy, validated before anything is indexed."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from ingest.records import PolicyMetadata
from policy_core.errors import AdvisorError

MANIFEST_NAME = "manifest.toml"


class ManifestError(AdvisorError):
    """The manifest or a file it names is unusable; the message names the entry and the problem."""


def read_policy_text(path: Path) -> str:
    """Read a policy text: UTF-8 first, GB18030 (which covers GBK/GB2312) before giving up."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ManifestError(f"{path.name}: neither UTF-8 nor GB18030 text")


def load_manifest(corpus_dir: Path) -> list[PolicyMetadata]:
    """Parse and check the manifest; every problem is reported at once, each naming its entry."""
    path = corpus_dir / MANIFEST_NAME
    if not path.is_file():
        raise ManifestError(f"no manifest at {path}")
    try:
        data = tomllib.loads(read_policy_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path.name} is not valid TOML: {exc}") from None
    entries = data.get("documents")
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path.name} has no [[documents]] entries")

    docs: list[PolicyMetadata] = []
    problems: list[str] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        name = entry.get("id") or f"entry #{position}" if isinstance(entry, dict) else f"entry #{position}"
        try:
            doc = PolicyMetadata.model_validate(entry)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "entry"
                problems.append(f"[{name}] {field}: {err['msg']}")
            continue
        if doc.id in seen:
            problems.append(f"[{doc.id}] duplicate id")
            continue
        seen.add(doc.id)
        problems.extend(_file_problems(doc, corpus_dir))
        if doc.effective_from and doc.valid_until and doc.effective_from > doc.valid_until:
            problems.append(f"[{doc.id}] effective_from {doc.effective_from} is after valid_until {doc.valid_until}")
        docs.append(doc)
    if problems:
        raise ManifestError("manifest problems:\n  " + "\n  ".join(problems))
    return docs


def _file_problems(doc: PolicyMetadata, corpus_dir: Path) -> list[str]:
    source = corpus_dir / doc.file
    if not source.is_file():
        return [f"[{doc.id}] file {doc.file!r} not found in {corpus_dir}"]
    try:
        text = read_policy_text(source)
    except ManifestError:
        return [f"[{doc.id}] file {doc.file!r} is neither UTF-8 nor GB18030 text"]
    if not text.strip():
        return [f"[{doc.id}] file {doc.file!r} is empty"]
    return []
