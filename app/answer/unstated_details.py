"""What the policy text does not say: details a question asks for that the cited clauses do not give.

A founder asking for application materials, deadlines, procedure, eligibility
detail or a contact gets, when the cited clauses are silent on it, a plain
statement that the text does not specify it and who issues the details
("政策原文未列明申报材料，具体以区经科局发布的申报通知为准"), never an
invented detail. The words are data (`detail_requests.toml`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DETAILS_PATH = Path(__file__).parent / "detail_requests.toml"


@dataclass(frozen=True)
class DetailKind:
    name: str
    asks: tuple[str, ...]
    settled: tuple[str, ...]
    zh: str
    en: str


@lru_cache(maxsize=1)
def detail_kinds() -> tuple[DetailKind, ...]:
    data = tomllib.loads(DETAILS_PATH.read_text(encoding="utf-8"))
    return tuple(
        DetailKind(d["name"], tuple(w.lower() for w in d["asks"]), tuple(d["settled"]), d["zh"], d["en"])
        for d in data["details"]
    )


def asked_details(question: str) -> list[DetailKind]:
    """The details the question asks for, in the file's order."""
    lowered = question.lower()
    return [kind for kind in detail_kinds() if any(word in lowered for word in kind.asks)]


def unstated_details(question: str, clause_texts: Iterable[str]) -> list[DetailKind]:
    """Asked details that none of the cited clauses gives."""
    texts = list(clause_texts)
    return [kind for kind in asked_details(question) if not any(w in text for text in texts for w in kind.settled)]


def unstated_note(details: list[DetailKind], units: list[str], english: bool) -> str:
    """The plain statement for an answer; empty when nothing asked is missing."""
    if not details:
        return ""
    if english:
        what = ", ".join(kind.en for kind in details)
        issuer = f"the application notice published by {'、'.join(units)}" if units else "the application notice of the responsible department"
        return f"The policy text does not specify {what}; {issuer} sets them out."
    what = "、".join(kind.zh for kind in details)
    issuer = f"{'、'.join(units)}发布的申报通知" if units else "主管部门发布的申报通知"
    return f"政策原文未列明{what}，具体以{issuer}为准。"
