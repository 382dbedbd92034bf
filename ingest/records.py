"""The typed records of the corpus: a policy, its clauses and its index chunks.

Ingest builds them and writes them as JSON (`docs.json`, `chunks.json`); the
index reader turns that JSON back into the same records, so every layer above
reads attributes (`doc.title`, `chunk.label`) rather than string keys. To add a
field, add it here: ingest writes it, the reader reads it, and an older index
without it takes the default.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator

from policy_core.responsible_units import parse_units

ANNEX_PREFIX = "附件 "  # label prefix of the clauses of an annex ("附件 三（二）场地设施")


def iso(day: dt.date | None) -> str | None:
    """YYYY-MM-DD, or None: how dates leave the records (answer contract, API, JSON)."""
    return day.isoformat() if day else None


@dataclass(frozen=True)
class Clause:
    """A clause of a policy text, as the document's own structure delimits it."""

    label: str
    """Human label: "五、强化算力普惠供给", "附件 三（二）场地设施", 前言 or 附则."""
    start: int
    """Offset of its first character in the policy's cleaned text."""
    end: int
    """Offset just after its last character (the span is [start, end))."""
    kind: str
    """measure | item | sub_item | section | preamble | closing."""
    units: tuple[str, ...] = ()
    """Responsible units named in its "（责任单位：…）" annotations, in order."""

    @property
    def in_annex(self) -> bool:
        """Whether the clause belongs to an annex of the policy."""
        return self.label.startswith(ANNEX_PREFIX)


@dataclass(frozen=True)
class ClauseText:
    """A clause and its exact text, for reading a policy clause by clause."""

    clause: Clause
    text: str
    """The cleaned text [clause.start, clause.end)."""


@dataclass(frozen=True)
class Chunk:
    """A passage of one clause as indexed and searched: the whole clause, or one part of a long one.

    A whole clause quoted for an answer is a Chunk too (see `PolicyDoc.clause_passage`)."""

    doc_id: str
    """The policy it comes from (`PolicyDoc.id`)."""
    label: str
    """The label of its clause."""
    start: int
    """Offset of its first character in the policy's cleaned text."""
    end: int
    """Offset just after its last character."""
    text: str
    """The exact cleaned text [start, end)."""
    part: int = 0
    """0 for a whole clause or the first part of a long one, then 1, 2 …"""
    units: tuple[str, ...] = ()
    """Responsible units its sentences are annotated with (or its clause's)."""
    id: str = ""
    """Content-derived id "<doc_id>:<hash>": the same text in the same clause always gets the same id.
    Left empty, it is computed."""

    def __post_init__(self) -> None:
        if not self.id:
            digest = hashlib.sha1(f"{self.doc_id}\x1f{self.label}\x1f{self.start}\x1f{self.text}".encode()).hexdigest()
            object.__setattr__(self, "id", f"{self.doc_id}:{digest[:16]}")

    @classmethod
    def from_json(cls, data: dict) -> "Chunk":
        return cls(**{**data, "units": tuple(data.get("units", ()))})

    def to_json(self) -> dict:
        return {**asdict(self), "units": list(self.units)}


class PolicyMetadata(BaseModel):
    """What the manifest says about one policy document (validated before anything is indexed)."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Short stable id, e.g. opc-2025.")
    title: str = Field(min_length=2, description="Full title as the document gives it.")
    issuer: str = Field("", description="Issuing authority.")
    doc_number: str = Field("", description="Document number such as 洪政规〔2025〕2号; empty when the text gives none.")
    region: str = Field("", description="Region key (see policy_core/vocabulary/region_words.txt), e.g. 武汉市.")
    issued: dt.date | None = Field(None, description="Date of issue.")
    effective_from: dt.date | None = Field(None, description="First day in force; None when the text gives none.")
    valid_until: dt.date | None = Field(None, description="Last day in force; None when open-ended.")
    file: str = Field(description="Text file in the corpus folder.")
    annex_title: str = Field("", description="Title of its annex, if any.")
    keywords: list[str] = Field(default_factory=list, description="Words by which a question names this policy (洪山, OPC …).")

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


class PolicyDoc(PolicyMetadata):
    """A policy as the index holds it: its metadata, its cleaned text and its clauses."""

    cleaned_text: str = Field(description="The text after cleaning; every offset in the records points into it.")
    clauses: tuple[Clause, ...] = Field(description="Its clauses in document order.")

    def clause(self, label: str) -> Clause:
        """The clause labelled `label` (StopIteration when there is none)."""
        return next(c for c in self.clauses if c.label == label)

    def clause_texts(self) -> list[ClauseText]:
        """Every clause with its text, in document order."""
        return [ClauseText(c, self.cleaned_text[c.start : c.end]) for c in self.clauses]

    def clause_passage(self, label: str) -> Chunk:
        """The whole clause `label` as a citable passage: its exact text, offsets and units."""
        clause = self.clause(label)
        text = self.cleaned_text[clause.start : clause.end]
        units = clause.units or tuple(parse_units(text))
        return Chunk(self.id, label, clause.start, clause.end, text, 0, units, id=f"{self.id}:{label}")

