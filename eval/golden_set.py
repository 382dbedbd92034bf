"""The golden questions (`eval/golden.jsonl`): one JSON object per line, validated with pydantic.

A row names the question (or the turns of a conversation, the last one being
evaluated), the evidence a correct answer rests on (doc id, exact clause label,
an exact substring of the clause; the first is the primary evidence), the facts
the answer must contain, and whether a refusal / an expired-policy warning is
expected. A bad file fails loudly with every broken row named by line and id.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from policy_core.errors import AdvisorError

GOLDEN_PATH = Path(__file__).resolve().parent / "golden.jsonl"

# The expectations (which policy is in force, which expired) hold on this day;
# the evaluation pins the advisor's TODAY to it so results don't drift with the calendar.
AS_OF = dt.date(2026, 11, 23)

Kind = Literal["measure", "expired", "out_of_scope", "calculation", "cross_policy", "english", "multi_turn", "injection"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]


class GoldenSetError(AdvisorError, ValueError):
    """The golden file cannot be used; the message names every bad row."""


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(min_length=1)
    clause: str = Field(min_length=1, description="The clause label exactly as the index gives it.")
    quote: str = Field(min_length=1, description="An exact substring of the clause text.")

    @property
    def key(self) -> tuple[str, str]:
        return (self.doc_id, self.clause)


class GoldenRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    kind: Kind
    question: str | None = None
    turns: list[str] | None = Field(None, description="User messages of a conversation; the last one is evaluated.")
    evidence: list[Evidence] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list, description="Strings the answer must contain (whitespace ignored).")
    expect_refusal: bool
    expect_expired: bool
    forbidden: list[str] = Field(default_factory=list, description="Strings that must not appear in the answer.")
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "GoldenRow":
        if (self.question is None) == (self.turns is None):
            raise ValueError("give exactly one of `question` and `turns`")
        if self.question is not None and not self.question.strip():
            raise ValueError("`question` is empty")
        if self.turns is not None and (not self.turns or any(not t.strip() for t in self.turns)):
            raise ValueError("`turns` must be a list of non-empty messages")
        if self.kind == "multi_turn" and len(self.turns or []) < 2:
            raise ValueError("a multi_turn row needs `turns` with at least two messages")
        if self.expect_refusal and self.expect_expired:
            raise ValueError("a row cannot expect both a refusal and an expired-policy warning")
        if not self.expect_refusal and not self.evidence:
            raise ValueError("a row that expects an answer needs at least one `evidence` entry")
        if any(not f.strip() for f in self.facts + self.forbidden):
            raise ValueError("`facts` and `forbidden` must not contain empty strings")
        return self

    @property
    def last_question(self) -> str:
        """The message that is evaluated."""
        return self.turns[-1] if self.turns else self.question  # type: ignore[return-value]

    @property
    def earlier_turns(self) -> list[str]:
        return list(self.turns[:-1]) if self.turns else []

    @property
    def primary(self) -> Evidence | None:
        return self.evidence[0] if self.evidence else None

    @property
    def expected_clauses(self) -> set[tuple[str, str]]:
        return {e.key for e in self.evidence}


def load_golden(path: Path = GOLDEN_PATH) -> list[GoldenRow]:
    """Every row of the file, or a GoldenSetError naming each bad line (by number and id)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldenSetError(f"cannot read golden set {path}: {exc.strerror or exc}") from None
    rows: list[GoldenRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if isinstance(data, dict) and data.get("id"):
            where += f" (id {data['id']})"
        try:
            row = GoldenRow.model_validate(data)
        except ValidationError as exc:
            problems.extend(f"{where}: {_describe(error)}" for error in exc.errors())
            continue
        if row.id in seen:
            problems.append(f"{where}: duplicate id, first used on line {seen[row.id]}")
            continue
        seen[row.id] = number
        rows.append(row)
    if problems:
        shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise GoldenSetError("invalid golden set:\n  " + "\n  ".join(shown))
    if not rows:
        raise GoldenSetError(f"golden set {path} has no rows")
    return rows


def _describe(error: dict) -> str:
    field = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    return f"{field}: {message}" if field else message
