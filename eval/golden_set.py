"""The golden questions (`eval/golden.jsonl`): one JSON object per line, validated with pydantic.

A row names the question (or the turns of a conversation, the last one being
evaluated), the evidence a correct answer rests on (doc id, exact clause label,
an exact substring of the clause; the first is the primary evidence), the facts
the answer must contain, and whether a refusal / an expired-policy warning is
expected. A bad file fails loudly with every broken row named by line and id.

Kinds that check more than facts carry their own fields:

- `department` ("who handles it / where do I apply"): `expect_units`, the
  responsible units that must appear in the answer text itself, not only in
  the citation cards.
- `unknown_detail` (materials, deadlines, application windows, procedure,
  contacts the text does not give): `expect_unspecified` is true, so the
  answer must say the text does not specify it (one of
  `metrics.UNSPECIFIED_PHRASES`), and `forbidden` lists details it must not
  invent.
- `multi_part` (several questions in one message): `parts`, each with its own
  evidence and facts; the row's `evidence` and `facts` are the parts' ones
  in order (filled in when left out).
- `expired_redirect`: the evidence is the expired clause (`expect_expired`),
  `redirect` the in-force clauses on the same topic the answer must cite.
- `overview` ("what can I get"): `evidence` lists every clause a careful
  reader would list; the metric is their recall among the citations.
- `expect_language` ("zh" / "en"), on any row: the language the answer must be
  written in (a question with HTML or English policy names in it is still
  answered in the language of its words).

The tuning / test split (issue 12): every row has `split`, "tune" or "test".
Vocabulary, synonym, weight and threshold changes are tuned on "tune" and
reported on both; the gate runs on all rows. The rule is fixed so the split
never moves: a row whose id does not start with `NEW_ROW_PREFIX` ("f-", the
rows written from a founder's angle for issue 12 onwards) is in "test" when
the first 8 hex digits of the SHA-256 of its id, as an integer, modulo 10 are
below 3 (`hashed_split`, about 30 % of the rows), else in "tune". Rows with
the prefix are assigned by hand when written, most of them to "test", and
never moved afterwards. `pytest tests/eval` checks the rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from policy_core.errors import AdvisorError

GOLDEN_PATH = Path(__file__).resolve().parent / "golden.jsonl"

# The expectations (which policy is in force, which expired) hold on this day;
# the evaluation pins the advisor's TODAY to it so results don't drift with the calendar.
AS_OF = dt.date(2026, 11, 23)

Kind = Literal[
    "measure", "expired", "out_of_scope", "calculation", "cross_policy", "english", "multi_turn", "injection",
    "department", "unknown_detail", "multi_part", "expired_redirect", "overview",
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
Split = Literal["tune", "test"]
SPLITS: tuple[str, ...] = Split.__args__  # type: ignore[attr-defined]
Language = Literal["zh", "en"]

# Rows whose id starts with this were written (from issue 12 on) with a hand-chosen split.
NEW_ROW_PREFIX = "f-"
TEST_SHARE_TENTHS = 3


def hashed_split(row_id: str) -> str:
    """The split of a row written before issue 12: "test" for about 30 % of ids, stable across runs and machines."""
    bucket = int(hashlib.sha256(row_id.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "test" if bucket < TEST_SHARE_TENTHS else "tune"


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


class Part(BaseModel):
    """One of the questions of a multi-part message: the evidence and the facts its answer needs."""

    model_config = ConfigDict(extra="forbid")

    ask: str | None = Field(None, description="The part's question as asked (for the report).")
    evidence: list[Evidence] = Field(min_length=1)
    facts: list[str] = Field(default_factory=list)

    @property
    def expected_clauses(self) -> set[tuple[str, str]]:
        return {e.key for e in self.evidence}


class GoldenRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    kind: Kind
    split: Split = Field(description="tune: changes may be tuned on it; test: only reported (see the module docstring).")
    question: str | None = None
    turns: list[str] | None = Field(None, description="User messages of a conversation; the last one is evaluated.")
    evidence: list[Evidence] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list, description="Strings the answer must contain (whitespace ignored).")
    expect_refusal: bool
    expect_expired: bool
    forbidden: list[str] = Field(default_factory=list, description="Strings that must not appear in the answer.")
    expect_units: list[str] = Field(default_factory=list, description="Responsible units the answer text must name.")
    expect_unspecified: bool = Field(False, description="The answer must say the policy text does not specify it.")
    parts: list[Part] = Field(default_factory=list, description="multi_part: the questions of the message, in order.")
    redirect: list[Evidence] = Field(
        default_factory=list, description="expired_redirect: in-force clauses on the same topic the answer must cite."
    )
    expect_language: Language | None = Field(None, description="The language the answer must be written in.")
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "GoldenRow":
        self._fill_from_parts()
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
        if any(not f.strip() for f in self.facts + self.forbidden + self.expect_units):
            raise ValueError("`facts`, `forbidden` and `expect_units` must not contain empty strings")
        self._kind_fields_present()
        return self

    def _fill_from_parts(self) -> None:
        """A multi-part row's evidence and facts are its parts' ones; written out, they must agree."""
        if not self.parts:
            return
        evidence: list[Evidence] = []
        for item in (e for part in self.parts for e in part.evidence):
            if item not in evidence:
                evidence.append(item)
        facts = [fact for part in self.parts for fact in part.facts]
        if self.evidence and self.evidence != evidence:
            raise ValueError("leave `evidence` out of a row with `parts`: it is the parts' evidence in order")
        if self.facts and self.facts != facts:
            raise ValueError("leave `facts` out of a row with `parts`: they are the parts' facts in order")
        self.evidence, self.facts = evidence, facts

    def _kind_fields_present(self) -> None:
        """Each new kind carries the field its metric reads; the fields are not used where they mean nothing."""
        if self.kind == "department" and not self.expect_units:
            raise ValueError("a department row needs `expect_units`")
        if self.kind == "unknown_detail" and not self.expect_unspecified:
            raise ValueError("an unknown_detail row needs `expect_unspecified: true`")
        if self.kind == "multi_part" and len(self.parts) < 2:
            raise ValueError("a multi_part row needs `parts` with at least two questions")
        if self.parts and self.kind != "multi_part":
            raise ValueError("only a multi_part row has `parts`")
        if self.kind == "expired_redirect" and not (self.expect_expired and self.redirect):
            raise ValueError("an expired_redirect row needs `expect_expired: true` and `redirect` clauses")
        if self.kind == "overview" and len(self.evidence) < 2:
            raise ValueError("an overview row lists at least two expected clauses in `evidence`")
        if self.expect_refusal and (self.expect_units or self.expect_unspecified or self.redirect):
            raise ValueError("a refusal row cannot expect units, an unspecified statement or a redirect")

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
    def all_evidence(self) -> list[Evidence]:
        """Every quoted clause of the row: its evidence (parts included) and its redirect clauses."""
        return [*self.evidence, *self.redirect]

    @property
    def expected_clauses(self) -> set[tuple[str, str]]:
        """Clauses an answer may cite (and retrieval may find) without counting as unsupported."""
        return {e.key for e in self.all_evidence}


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
