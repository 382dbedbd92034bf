"""Calibrating REFUSAL_THRESHOLD: the evidence strength of in-scope vs out-of-scope golden questions.

The scope guard refuses when the evidence strength of the retrieved clauses is
below the threshold (unless a rule - another city, a question about the bot -
already decided). The best threshold is the one that misclassifies the fewest
golden questions; among equally good ones, the middle of the widest gap, so
that new questions near the boundary have the most room on both sides.
Questions a rule refuses are shown but don't influence the choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.advisor import Advisor, QuestionError
from app.answer.scope_guard import rule_violation
from eval.golden_set import GoldenRow
from eval.runner import play_history


@dataclass
class Strength:
    id: str
    strength: float
    in_scope: bool
    rule: str | None


@dataclass
class Calibration:
    strengths: list[Strength]
    threshold: float
    errors: list[Strength]
    current: float
    current_errors: list[Strength] = field(default_factory=list)

    def group(self, in_scope: bool, by_rule: bool = False) -> list[float]:
        return sorted(s.strength for s in self.strengths if s.in_scope == in_scope and (s.rule is not None) == by_rule)


def measure_strengths(advisor: Advisor, rows: Sequence[GoldenRow]) -> list[Strength]:
    found = []
    for row in rows:
        try:
            retrieval = advisor.retrieve(row.last_question, play_history(advisor, row))
        except QuestionError:
            continue
        rule = rule_violation(retrieval.analysis.question)
        found.append(Strength(row.id, retrieval.scope.strength, not row.expect_refusal, rule))
    return found


def misclassified(strengths: Sequence[Strength], threshold: float) -> list[Strength]:
    """Rows the threshold decides wrongly (rule-decided rows excluded)."""
    return [s for s in strengths if s.rule is None and (s.strength >= threshold) != s.in_scope]


def best_threshold(strengths: Sequence[Strength]) -> float:
    values = sorted({round(s.strength, 4) for s in strengths if s.rule is None})
    if not values:
        raise ValueError("no question is decided by evidence strength")
    candidates = [values[0] - 0.01] + [(a + b) / 2 for a, b in zip(values, values[1:])] + [values[-1] + 0.01]

    def margin(t: float) -> float:
        return min(abs(t - v) for v in values)

    best = min(candidates, key=lambda t: (len(misclassified(strengths, t)), -margin(t)))
    # Two decimals are what a setting reads best as, unless rounding would move it across a question.
    rounded = round(best, 2)
    return rounded if len(misclassified(strengths, rounded)) == len(misclassified(strengths, best)) else round(best, 4)


def calibrate(advisor: Advisor, rows: Sequence[GoldenRow]) -> Calibration:
    strengths = measure_strengths(advisor, rows)
    threshold = best_threshold(strengths)
    current = advisor.settings.refusal_threshold
    return Calibration(strengths, threshold, misclassified(strengths, threshold), current, misclassified(strengths, current))


def histogram(calibration: Calibration, width: float = 0.05) -> list[tuple[float, int, int]]:
    """(bin start, in-scope count, out-of-scope count) over strength bins, rule-decided rows excluded."""
    bins: dict[int, list[int]] = {}
    for s in calibration.strengths:
        if s.rule is None:
            counts = bins.setdefault(int(s.strength / width + 1e-9), [0, 0])
            counts[0 if s.in_scope else 1] += 1
    if not bins:
        return []
    return [(b * width, *bins.get(b, [0, 0])) for b in range(min(bins), max(bins) + 1)]
