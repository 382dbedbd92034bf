"""The regression gate: thresholds from `eval/thresholds.toml`, checked against a run's headline metrics.

[min] and [max] are enforced by `--check`; [llm.min] / [llm.max] replace
entries for `--mode llm`; [target.min] / [target.max] are where the gate must
go (reported, not enforced).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from eval.metrics import METRICS
from policy_core.errors import AdvisorError

THRESHOLDS_PATH = Path(__file__).resolve().parent / "thresholds.toml"


class ThresholdsError(AdvisorError, ValueError):
    """The thresholds file is unreadable or names an unknown metric."""


@dataclass
class Thresholds:
    minimum: dict[str, float] = field(default_factory=dict)
    maximum: dict[str, float] = field(default_factory=dict)
    target_minimum: dict[str, float] = field(default_factory=dict)
    target_maximum: dict[str, float] = field(default_factory=dict)

    def bound(self, metric: str) -> tuple[str, float] | None:
        if metric in self.minimum:
            return "min", self.minimum[metric]
        if metric in self.maximum:
            return "max", self.maximum[metric]
        return None

    def target(self, metric: str) -> tuple[str, float] | None:
        if metric in self.target_minimum:
            return "min", self.target_minimum[metric]
        if metric in self.target_maximum:
            return "max", self.target_maximum[metric]
        return None


@dataclass(frozen=True)
class Violation:
    metric: str
    value: float
    side: str
    bound: float

    def __str__(self) -> str:
        info = METRICS[self.metric]
        relation = "below the minimum" if self.side == "min" else "above the maximum"
        return f"{self.metric} ({info.label}) = {format_value(self.metric, self.value)}, {relation} {format_value(self.metric, self.bound)}"


def format_value(metric: str, value: float | None) -> str:
    if value is None:
        return "—"
    info = METRICS.get(metric)
    if info is None or not info.percent:
        return f"{value:.3f}" if metric == "mrr" else f"{value:.1f}"
    return f"{value * 100:.1f}%"


def format_bound(metric: str, bound: tuple[str, float] | None) -> str:
    """A gate or target bound as shown in the report and on the terminal: "≥ 95.0%", "≤ 2.0"."""
    if bound is None:
        return ""
    side, value = bound
    return f"{'≥' if side == 'min' else '≤'} {format_value(metric, value)}"


def _table(data: dict, name: str, path: Path) -> dict[str, float]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ThresholdsError(f"{path.name}: [{name}] must be a table")
    result = {}
    for metric, value in table.items():
        if metric not in METRICS:
            raise ThresholdsError(f"{path.name}: [{name}] names unknown metric {metric!r}; known: {', '.join(METRICS)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ThresholdsError(f"{path.name}: [{name}] {metric} must be a number")
        result[metric] = float(value)
    return result


def load_thresholds(path: Path = THRESHOLDS_PATH, mode: str = "extractive") -> Thresholds:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ThresholdsError(f"cannot read thresholds {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThresholdsError(f"{path.name}: invalid TOML ({exc})") from None
    minimum, maximum = _table(data, "min", path), _table(data, "max", path)
    if mode == "llm":
        llm = data.get("llm", {})
        minimum |= _table(llm, "min", path)
        maximum |= _table(llm, "max", path)
    target = data.get("target", {})
    return Thresholds(minimum, maximum, _table(target, "min", path), _table(target, "max", path))


def check(metrics: dict[str, float | int | None], thresholds: Thresholds) -> list[Violation]:
    """Every metric on the wrong side of its bound; a metric without a value (no rows) passes."""
    violations = []
    for metric, bound in thresholds.minimum.items():
        value = metrics.get(metric)
        if value is not None and value < bound - 1e-9:
            violations.append(Violation(metric, float(value), "min", bound))
    for metric, bound in thresholds.maximum.items():
        value = metrics.get(metric)
        if value is not None and value > bound + 1e-9:
            violations.append(Violation(metric, float(value), "max", bound))
    return violations
