"""The corpus manifest: one entry per policy, validated before anything is indexed."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

MANIFEST_NAME = "manifest.toml"


class ManifestError(Exception):
    """The manifest or a file it names is unusable; the message names the entry and the problem."""


class PolicyDoc(BaseModel):
    """Metadata of one policy document, as the manifest gives it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=2)
    issuer: str = ""
    doc_number: str = ""
    region: str = ""
    issued: dt.date | None = None
    effective_from: dt.date | None = None
    valid_until: dt.date | None = None
    file: str
    annex_title: str = ""
    keywords: list[str] = Field(default_factory=list)

    @field_validator("issued", "effective_from", "valid_until", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def read_policy_text(path: Path) -> str:
    """Read a policy text: UTF-8 first, GB18030 (which covers GBK/GB2312) before giving up."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ManifestError(f"{path.name}: neither UTF-8 nor GB18030 text")


def load_manifest(corpus_dir: Path) -> list[PolicyDoc]:
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

    docs: list[PolicyDoc] = []
    problems: list[str] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        name = entry.get("id") or f"entry #{position}" if isinstance(entry, dict) else f"entry #{position}"
        try:
            doc = PolicyDoc.model_validate(entry)
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


def _file_problems(doc: PolicyDoc, corpus_dir: Path) -> list[str]:
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
