"""Comparing two runs (`--compare A.json B.json`): which questions B fixed, which it broke, and metric deltas."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from eval.metrics import METRICS
from policy_core.errors import AdvisorError


class ReportFileError(AdvisorError, ValueError):
    """A file given to --compare is not a report JSON written by `policy-advisor eval`."""


@dataclass
class RowChange:
    id: str
    kind: str
    question: str
    before: list[str]
    after: list[str]


@dataclass
class Comparison:
    fixed: list[RowChange] = field(default_factory=list)
    broken: list[RowChange] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)  # failing in both, for other reasons
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    deltas: list[tuple[str, float | None, float | None]] = field(default_factory=list)


def load_report(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ReportFileError(f"{path} is not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or "rows" not in data or "metrics" not in data:
        raise ReportFileError(f"{path} is not an evaluation report (no `rows` / `metrics`); use the .json that `policy-advisor eval` writes")
    return data


def _causes(row: dict) -> list[str]:
    return [f["cause"] for f in row["failures"]]


def compare_reports(before: dict, after: dict) -> Comparison:
    old = {row["row"]["id"]: row for row in before["rows"]}
    new = {row["row"]["id"]: row for row in after["rows"]}
    result = Comparison(added=[i for i in new if i not in old], removed=[i for i in old if i not in new])
    for row_id, row in new.items():
        if row_id not in old:
            continue
        golden = row["row"]
        change = RowChange(
            row_id,
            golden["kind"],
            golden["question"] or " → ".join(golden["turns"]),
            _causes(old[row_id]),
            _causes(row),
        )
        was, now = old[row_id]["passed"], row["passed"]
        if not was and now:
            result.fixed.append(change)
        elif was and not now:
            result.broken.append(change)
        elif not was and not now and change.before != change.after:
            result.changed.append(change)
    for metric in METRICS:
        a, b = before["metrics"].get(metric), after["metrics"].get(metric)
        if a != b:
            result.deltas.append((metric, a, b))
    return result
