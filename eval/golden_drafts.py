"""Golden-question drafts from the question log: a maintainer picks logged questions, gets rows to finish.

A draft is a row of `golden.jsonl` with the question, a guessed kind and the
split "test", and the expectations left for the maintainer: a refused question
is drafted as expecting a refusal (change it if the corpus should answer it),
an answered one with empty `evidence` and `facts`, which `load_golden` refuses
until they are filled in. The note says where the question came from.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.records.question_reports import LoggedQuestion
from eval.golden_set import NEW_ROW_PREFIX

_ENGLISH = re.compile(r"[A-Za-z]{3,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WHO = ("谁", "哪个部门", "哪个单位", "找谁", "在哪", "哪里申请", "去哪", "怎么申请", "联系")
_EXPIRED = ("失效", "有效期", "还有效", "还能申请", "过期")
_AMOUNT = re.compile(r"\d+(\.\d+)?\s*(万|元|%|张|卡时)")


def guess_kind(question: str, refused: bool) -> str:
    """The golden kind a logged question most likely is; the maintainer corrects it."""
    if refused:
        return "out_of_scope"
    if _ENGLISH.search(question) and not _CJK.search(question):
        return "english"
    if any(word in question for word in _WHO):
        return "department"
    if any(word in question for word in _EXPIRED):
        return "expired"
    if _AMOUNT.search(question):
        return "calculation"
    return "measure"


def draft_row(logged: LoggedQuestion) -> dict:
    """One golden row drafted from a logged question (the stand-alone form of a follow-up)."""
    kind = guess_kind(logged.searched, logged.refused)
    source = f"drafted from question log #{logged.id} ({logged.surface}, {logged.asked_at:%Y-%m-%d}"
    if logged.rating == "down":
        source += f", 👎 {logged.reason or ''}".rstrip()
    note = source + "): " + (
        "check that the corpus really does not cover it" if logged.refused else "fill in evidence and facts; check the kind"
    )
    if logged.resolved_question:
        note += f"; asked as the follow-up {logged.question!r}"
    return {
        "id": f"{NEW_ROW_PREFIX}log-{logged.id}",
        "kind": kind,
        "split": "test",
        "question": logged.searched,
        "evidence": [],
        "facts": [],
        "expect_refusal": logged.refused,
        "expect_expired": kind == "expired",
        "note": note,
    }


def write_drafts(rows: list[LoggedQuestion], target: Path) -> int:
    """Append one draft per logged question to `target` (a new file or a copy of the golden file); returns how many."""
    with target.open("a", encoding="utf-8") as handle:
        for logged in rows:
            handle.write(json.dumps(draft_row(logged), ensure_ascii=False) + "\n")
    return len(rows)
