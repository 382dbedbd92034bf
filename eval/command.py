"""What `policy-advisor eval` and `python -m eval` do: run, report, gate, compare or calibrate.

User-facing problems raise an AdvisorError (EvalError, or the index's own, such as
IndexMissingError), which the CLI prints as one line; the return value is the
exit code: 0 ok, 1 the gate failed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app.schemas import AnswerMode
from eval.gate import THRESHOLDS_PATH, ThresholdsError, check, format_bound, format_value, load_thresholds
from eval.golden_set import GOLDEN_PATH, SPLITS, GoldenSetError, load_golden
from eval.metrics import CAUSES, METRICS
from eval.report import REPORTS_DIR
from eval.runner import EvalError
from policy_core.settings import Settings


@dataclass
class EvalOptions:
    golden: Path = GOLDEN_PATH
    thresholds: Path = THRESHOLDS_PATH
    output: Path = REPORTS_DIR
    name: str | None = None
    mode: AnswerMode = "extractive"
    check: bool = False
    compare: tuple[Path, Path] | None = None
    calibrate: bool = False
    progress: bool = True
    retrievers: bool = True
    split: str = "all"


def run_eval(settings: Settings, options: EvalOptions, out: Console, err: Console) -> int:
    if options.compare:
        return _compare(*options.compare, out)
    if options.mode not in ("extractive", "llm"):
        raise EvalError(f"unknown --mode {options.mode!r}: use extractive or llm")
    if options.split not in (*SPLITS, "all"):
        raise EvalError(f"unknown --split {options.split!r}: use {', '.join(SPLITS)} or all")
    try:
        rows = select_split(load_golden(options.golden), options.split)
        thresholds = load_thresholds(options.thresholds, options.mode)
    except (GoldenSetError, ThresholdsError) as exc:
        raise EvalError(str(exc)) from None
    if options.calibrate:
        return _calibrate(settings, rows, options, out)
    return _evaluate(settings, rows, thresholds, options, out, err)


def select_split(rows: list, split: str) -> list:
    """The rows of one split ("tune" / "test"), or all of them; an empty selection is an error."""
    if split == "all":
        return rows
    chosen = [row for row in rows if row.split == split]
    if not chosen:
        raise GoldenSetError(f"the golden set has no {split!r} rows")
    return chosen


def _evaluate(settings, rows, thresholds, options: EvalOptions, out: Console, err: Console) -> int:
    from eval.report import write_report
    from eval.runner import run_golden

    run = run_golden(settings, rows, _display_path(options.golden), options.mode, options.retrievers, options.progress)
    run.split = options.split
    name = options.name or f"run-{dt.datetime.now():%Y%m%d-%H%M%S}-{options.mode}"
    paths = write_report(run, thresholds, options.output, name)
    from eval.metrics import headline, per_split, row_failures

    metrics = headline(run.outcomes)
    _print_metrics(metrics, thresholds, out, per_split(run.outcomes))
    failing = [(o, row_failures(o)) for o in run.outcomes]
    failing = [(o, f) for o, f in failing if f]
    if failing:
        counts = {cause: sum(1 for _, f in failing if f[0].cause == cause) for cause in CAUSES}
        summary = ", ".join(f"{n} {cause}" for cause, n in counts.items() if n)
        _line(out, f"{len(failing)} of {len(run.outcomes)} questions fail ({summary}); details in the report")
    _line(out, f"{len(run.outcomes)} questions in {run.seconds} s · report: {escape(str(paths.markdown))} ({escape(paths.json.name)}, {escape(paths.chart.name)})")
    if not options.check:
        return 0
    violations = check(metrics, thresholds)
    for violation in violations:
        _line(err, f"[bold red]gate:[/] {escape(str(violation))}")
    if violations:
        _line(err, f"[bold red]eval --check failed:[/] {len(violations)} metric(s) outside {escape(str(options.thresholds))}")
        return 1
    _line(out, f"[green]gate passed[/] ({len(thresholds.minimum) + len(thresholds.maximum)} thresholds)")
    return 0


def _line(console: Console, text: str) -> None:
    """One line of output, never wrapped (CI logs and pipes are 80 columns wide otherwise)."""
    console.print(text, soft_wrap=True)


def _print_metrics(metrics: dict, thresholds, out: Console, splits: dict | None = None) -> None:
    """The headline table; with rows of both splits, their values side by side after the overall value."""
    splits = splits if splits and len(splits) > 1 else {}
    table = Table(show_edge=False, pad_edge=False, box=None)
    for column in ("metric", "value", *splits, "gate", "target"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    failing = {v.metric for v in check(metrics, thresholds)}
    for metric, info in METRICS.items():
        value = format_value(metric, metrics.get(metric))
        bound, target = thresholds.bound(metric), thresholds.target(metric)
        style = "red" if metric in failing else ""
        table.add_row(
            info.label,
            f"[{style}]{value}[/]" if style else value,
            *(format_value(metric, part["metrics"].get(metric)) for part in splits.values()),
            format_bound(metric, bound),
            format_bound(metric, target),
        )
    out.print(table)


def _display_path(path: Path) -> str:
    from policy_core.settings import PROJECT_ROOT

    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _compare(before_path: Path, after_path: Path, out: Console) -> int:
    from eval.compare import ReportFileError, compare_reports, load_report

    try:
        before, after = load_report(before_path), load_report(after_path)
    except ReportFileError as exc:
        raise EvalError(str(exc)) from None
    comparison = compare_reports(before, after)
    _line(out, f"[bold]{escape(str(before_path))}[/] → [bold]{escape(str(after_path))}[/]")
    for metric, a, b in comparison.deltas:
        _line(out, f"  {METRICS[metric].label}: {format_value(metric, a)} → {format_value(metric, b)}")
    sections = (
        ("fixed", "green", comparison.fixed),
        ("broken", "red", comparison.broken),
        ("still failing, differently", "yellow", comparison.changed),
    )
    for title, colour, changes in sections:
        _line(out, f"[bold {colour}]{title}: {len(changes)}[/]")
        for change in changes:
            before_causes = ", ".join(change.before) or "passed"
            after_causes = ", ".join(change.after) or "passed"
            _line(out, f"  {escape(change.id)} ({change.kind}) {escape(change.question)}  [dim]{before_causes} → {after_causes}[/]")
    if comparison.added:
        _line(out, f"only in the second run: {', '.join(comparison.added)}")
    if comparison.removed:
        _line(out, f"only in the first run: {', '.join(comparison.removed)}")
    return 0


def _calibrate(settings: Settings, rows, options: EvalOptions, out: Console) -> int:
    from eval.calibration import calibrate, histogram
    from eval.runner import evaluation_settings, open_advisor

    advisor = open_advisor(evaluation_settings(settings, "extractive"))
    try:
        result = calibrate(advisor, rows)
    except ValueError as exc:
        raise EvalError(f"cannot calibrate: {exc}") from None
    inside, outside = result.group(True), result.group(False)
    _line(out, f"evidence strength of {len(inside)} in-scope and {len(outside)} out-of-scope questions "
              f"({len(result.strengths) - len(inside) - len(outside)} more are decided by a scope rule):")
    for label, values in (("in scope", inside), ("out of scope", outside)):
        if values:
            _line(out, f"  {label:>12}: min {values[0]:.3f} · median {values[len(values) // 2]:.3f} · max {values[-1]:.3f}")
    peak = max((max(i, o) for _, i, o in histogram(result)), default=1)
    scale = 24 / max(peak, 1)
    for start, inside_n, outside_n in histogram(result):
        _line(
            out,
            f"  {start:4.2f}–{start + 0.05:4.2f} [green]{'█' * round(inside_n * scale):<24}[/] {inside_n:3d} in "
            f"[red]{'█' * round(outside_n * scale):<24}[/] {outside_n:3d} out"
        )
    for label, threshold, errors in (("current", result.current, result.current_errors), ("best", result.threshold, result.errors)):
        wrong = ", ".join(f"{s.id} ({s.strength:.3f}, {'in' if s.in_scope else 'out'})" for s in errors) or "none"
        _line(out, f"{label} threshold {threshold}: {len(errors)} misclassified: {escape(wrong)}")
    _line(out, f"recommended: [bold]REFUSAL_THRESHOLD={result.threshold}[/]")
    return 0
