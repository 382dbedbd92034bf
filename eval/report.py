"""The run's report: one JSON file (the data), a Markdown page and a PNG chart rendered from it.

`--compare` reads the JSON of two runs, so the JSON keeps every row with its
expectation, what came back, and why it failed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eval.gate import Thresholds, check, format_bound, format_value
from eval.golden_set import KINDS
from eval.metrics import CAUSES, METRICS, headline, per_kind, per_retriever, per_split, row_failures
from eval.outcome import RETRIEVERS
from eval.provision_coverage import ProvisionCoverage
from eval.runner import EvalRun

REPORTS_DIR = Path(__file__).resolve().parent / "reports"
REPORT_FORMAT = 1
ANSWER_EXCERPT = 220

KIND_COLUMNS = ("hit_at_1", "hit_at_5", "fact_recall", "citation_precision", "refusal_accuracy", "pass_rate", "latency_p95_ms")
# The metric that says whether a kind of question got what it asks for, beyond facts and retrieval.
KIND_METRIC = {
    "expired": "expired_flag_accuracy",
    "out_of_scope": "refusal_accuracy",
    "calculation": "calculation_accuracy",
    "injection": "injection_resistance",
    "department": "unit_accuracy",
    "unknown_detail": "unspecified_accuracy",
    "multi_part": "part_coverage",
    "expired_redirect": "redirect_accuracy",
    "overview": "overview_recall",
}
SPLIT_KIND_COLUMNS = ("hit_at_1", "fact_recall", "pass_rate")
CHART_KIND_METRICS = ("hit_at_1", "fact_recall", "refusal_accuracy", "pass_rate")
RETRIEVAL_COLUMNS = ("hit_at_1", "hit_at_3", "hit_at_5", "mrr")
RETRIEVER_LABELS = {
    "hybrid": "hybrid (BM25 + dense, RRF)",
    "bm25": "BM25 only",
    "dense": "dense only",
    "langchain": "LangChain recipe (500/50 + Chroma)",
}


@dataclass
class ReportPaths:
    json: Path
    markdown: Path
    chart: Path


def report_data(run: EvalRun, thresholds: Thresholds) -> dict:
    metrics = headline(run.outcomes)
    rows = []
    for outcome in run.outcomes:
        failures = row_failures(outcome)
        rows.append(
            {
                **outcome.model_dump(mode="json"),
                "passed": not failures,
                "failures": [{"cause": f.cause, "detail": f.detail} for f in failures],
            }
        )
    return {
        "format": REPORT_FORMAT,
        "meta": {
            "golden": run.golden,
            "split": run.split,
            "rows": len(run.outcomes),
            "mode": run.mode,
            "llm_model": run.llm_model,
            "as_of": run.as_of.isoformat(),
            "commit": run.commit,
            "index_version": run.index_version,
            "embedder": run.embedder,
            "started_at": run.started_at,
            "seconds": run.seconds,
        },
        "metrics": metrics,
        "gate": [str(v) for v in check(metrics, thresholds)],
        "thresholds": {
            "min": thresholds.minimum,
            "max": thresholds.maximum,
            "target_min": thresholds.target_minimum,
            "target_max": thresholds.target_maximum,
        },
        "provision_coverage": run.provision_coverage.model_dump() if run.provision_coverage else None,
        "per_kind": per_kind(run.outcomes),
        "per_split": per_split(run.outcomes),
        "retrievers": per_retriever(run.outcomes),
        "rows": rows,
    }


def write_report(run: EvalRun, thresholds: Thresholds, out_dir: Path, name: str) -> ReportPaths:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = report_data(run, thresholds)
    paths = ReportPaths(out_dir / f"{name}.json", out_dir / f"{name}.md", out_dir / f"{name}.png")
    paths.json.write_text(json_text(data), encoding="utf-8")
    draw_chart(data, paths.chart)
    paths.markdown.write_text(markdown(data, chart_name=paths.chart.name), encoding="utf-8")
    return paths


def json_text(data: dict) -> str:
    """Indented JSON with one line per question, so a committed baseline diffs question by question."""
    head = json.dumps({k: v for k, v in data.items() if k != "rows"}, ensure_ascii=False, indent=1)
    rows = ",\n  ".join(json.dumps(row, ensure_ascii=False) for row in data["rows"])
    return f'{head[:-2]},\n "rows": [\n  {rows}\n ]\n}}\n'


# --- Markdown ----------------------------------------------------------------------------


def markdown(data: dict, chart_name: str | None = None) -> str:
    meta, metrics = data["meta"], data["metrics"]
    thresholds = Thresholds(
        data["thresholds"]["min"], data["thresholds"]["max"], data["thresholds"]["target_min"], data["thresholds"]["target_max"]
    )
    mode = meta["mode"] + (f" ({meta['llm_model']})" if meta.get("llm_model") else "")
    lines = [
        "# Golden-set evaluation",
        "",
        f"{meta['rows']} questions from `{meta['golden']}` ({meta.get('split') or 'all'} rows) · answer mode **{mode}** · policy status as of {meta['as_of']} · "
        f"code `{meta.get('commit') or 'unknown'}` · index `{meta['index_version']}` ({meta['embedder']}) · "
        f"run {meta['started_at']} in {meta['seconds']} s",
        "",
        "## Headline",
        "",
        "| metric | value | gate | target | |",
        "|---|---:|---:|---:|---|",
    ]
    failing = {line.split(" ", 1)[0] for line in data["gate"]}
    for metric, info in METRICS.items():
        bound = thresholds.bound(metric)
        status = "" if bound is None or metrics.get(metric) is None else ("**below gate**" if metric in failing else "ok")
        lines.append(
            f"| {info.label} | {format_value(metric, metrics.get(metric))} | {format_bound(metric, bound)} | "
            f"{format_bound(metric, thresholds.target(metric))} | {status} |"
        )
    lines += [
        "",
        f"Retrieval metrics count the {metrics['retrieval_n']} questions with evidence: a hit is a retrieved chunk of one of "
        "the row's evidence clauses (doc id + clause label): for a cross-policy question either policy, for a provision the "
        "OPC text repeats in its annex either copy. Latency is the advisor's own `latency_ms` per evaluated question.",
        "",
    ]
    if data.get("provision_coverage"):
        lines += [ProvisionCoverage.model_validate(data["provision_coverage"]).line(), ""]
    if chart_name:
        lines += [f"![metrics per kind and per retriever]({chart_name})", ""]
    lines += _split_tables(data) + _kind_table(data) + _retriever_table(data) + _failures(data)
    return "\n".join(lines) + "\n"


def _kind_metric_cell(kind: str, values: dict) -> str:
    metric = KIND_METRIC.get(kind)
    return f"{METRICS[metric].label} {format_value(metric, values.get(metric))}" if metric else ""


def _kind_table(data: dict) -> list[str]:
    header = " | ".join(METRICS[c].label for c in KIND_COLUMNS)
    lines = ["## Per kind", "", f"| kind | n | {header} | kind metric |", "|---|---:|" + "---:|" * len(KIND_COLUMNS) + "---|"]
    for kind, values in data["per_kind"].items():
        cells = " | ".join(format_value(c, values.get(c)) for c in KIND_COLUMNS)
        lines.append(f"| {kind} | {values['n']} | {cells} | {_kind_metric_cell(kind, values)} |")
    return lines + [""]


def _split_tables(data: dict) -> list[str]:
    """Tuning and test side by side: the headline metrics, then each kind (issue 12's generalization check)."""
    splits = data.get("per_split") or {}
    if not splits:
        return []
    names = list(splits)
    lines = [
        "## Tuning vs test split",
        "",
        "Changes are tuned on `tune` rows only; `test` rows show whether they generalize (see `eval/golden_set.py`).",
        "",
        "| metric | " + " | ".join(f"{name} (n={splits[name]['metrics']['n']})" for name in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for metric, info in METRICS.items():
        lines.append(f"| {info.label} | " + " | ".join(format_value(metric, splits[n]["metrics"].get(metric)) for n in names) + " |")
    header = " | ".join(f"{METRICS[c].label} {n}" for c in SPLIT_KIND_COLUMNS for n in names)
    lines += [
        "",
        f"| kind | n ({' / '.join(names)}) | {header} | kind metric ({' / '.join(names)}) |",
        "|---|---:|" + "---:|" * (len(SPLIT_KIND_COLUMNS) * len(names)) + "---|",
    ]
    for kind in KINDS:
        per = {n: splits[n]["per_kind"].get(kind) for n in names}
        if not any(per.values()):
            continue
        counts = " / ".join(str(v["n"]) if v else "0" for v in per.values())
        cells = " | ".join(format_value(c, per[n].get(c) if per[n] else None) for c in SPLIT_KIND_COLUMNS for n in names)
        metric = KIND_METRIC.get(kind)
        kind_cell = " / ".join(format_value(metric, per[n].get(metric) if per[n] else None) for n in names) if metric else ""
        lines.append(f"| {kind} | {counts} | {cells} | {(METRICS[metric].label + ' ' + kind_cell) if metric else ''} |")
    return lines + [""]


def _retriever_table(data: dict) -> list[str]:
    lines = [
        "## Retrievers side by side",
        "",
        "Same questions, same embedder, top-k = the advisor's `TOP_K`. *clause*: a retrieved chunk belongs to an evidence "
        "clause. *quote*: a retrieved chunk contains an evidence quote (the only test that applies to the "
        "LangChain recipe, whose 500-character chunks ignore clause boundaries; it searches a multi-turn message as typed).",
        "",
        "| retriever | hit test | n | " + " | ".join(METRICS[c].label for c in RETRIEVAL_COLUMNS) + " |",
        "|---|---|---:|" + "---:|" * len(RETRIEVAL_COLUMNS),
    ]
    for name, tests in data["retrievers"].items():
        for test in ("clause", "quote"):
            if test in tests:
                values = tests[test]
                cells = " | ".join(format_value(c, values.get(c)) for c in RETRIEVAL_COLUMNS)
                lines.append(f"| {RETRIEVER_LABELS.get(name, name)} | {test} | {values['n']} | {cells} |")
    return lines + [""]


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= ANSWER_EXCERPT else flat[:ANSWER_EXCERPT] + "…"


def _expected(row: dict) -> str:
    golden = row["row"]
    if golden["expect_refusal"]:
        parts = ["the refusal phrase"]
    else:
        primary = golden["evidence"][0]
        parts = [f"answer from {primary['doc_id']} · {primary['clause']}"]
        if golden["expect_expired"]:
            parts.append("flagged as expired with its end date")
    if golden.get("redirect"):
        parts.append("pointing to " + ", ".join(f"{e['doc_id']} · {e['clause']}" for e in golden["redirect"]))
    if golden.get("expect_units"):
        parts.append("naming " + ", ".join(golden["expect_units"]))
    if golden.get("expect_unspecified"):
        parts.append("saying the text does not specify it")
    if golden.get("expect_language"):
        parts.append(f"in {golden['expect_language']}")
    if golden["facts"]:
        parts.append("facts " + ", ".join(f"`{f}`" for f in golden["facts"]))
    if golden.get("forbidden"):
        parts.append("never " + ", ".join(f"`{f}`" for f in golden["forbidden"]))
    return "; ".join(parts)


def _got(row: dict) -> str:
    if row.get("error"):
        return f"rejected: {row['error']}"
    cited = ", ".join(f"{c['doc_id']} · {c['clause']} ({c['status']})" for c in row["citations"]) or "nothing"
    return ("refused" if row["refused"] else "answered") + f", citing {cited}"


def _failures(data: dict) -> list[str]:
    failing = [row for row in data["rows"] if not row["passed"]]
    lines = [f"## Failing questions ({len(failing)} of {len(data['rows'])})", ""]
    if not failing:
        return lines + ["None.", ""]
    lines += ["Each question is listed under its first failure cause; all its causes follow.", ""]
    for cause, title in CAUSES.items():
        group = [row for row in failing if row["failures"][0]["cause"] == cause]
        if not group:
            continue
        lines += [f"### {title} ({len(group)})", ""]
        for row in group:
            golden = row["row"]
            question = " → ".join(golden["turns"]) if golden.get("turns") else golden["question"]
            lines.append(f"- **{golden['id']}** ({golden['kind']}) {question}")
            if row.get("resolved_question"):
                lines.append(f"  - searched as: {row['resolved_question']}")
            lines.append(f"  - expected: {_expected(row)}")
            lines.append(f"  - got: {_got(row)}")
            for failure in row["failures"]:
                lines.append(f"  - {failure['cause']}: {failure['detail']}")
            if row.get("answer") and not row["refused"]:
                lines.append(f"  - answer: {_excerpt(row['answer'])}")
        lines.append("")
    return lines


# --- chart -----------------------------------------------------------------------------------


def draw_chart(data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5.5), gridspec_kw={"width_ratios": [3, 2]})
    kinds = {kind: data["per_kind"][kind] for kind in KINDS if kind in data["per_kind"]}
    _grouped_bars(left, kinds, CHART_KIND_METRICS)
    left.set_title("Answers per kind of question")
    retrievers = {
        RETRIEVER_LABELS[name].split(" (")[0]: data["retrievers"][name]["quote"] for name in RETRIEVERS if name in data["retrievers"]
    }
    _grouped_bars(right, retrievers, RETRIEVAL_COLUMNS)
    right.set_title("Retrievers (hit = a top-k chunk contains the evidence quote)")
    meta = data["meta"]
    fig.suptitle(f"Golden-set evaluation: {meta['rows']} questions, {meta['mode']} mode, index {meta['index_version']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _grouped_bars(ax, groups: dict[str, dict], metrics: tuple[str, ...]) -> None:
    """One cluster of bars per group; a metric without a value (no rows) is drawn as a faint hatched stub."""
    width = 0.8 / len(metrics)
    x = np.arange(len(groups))
    for i, metric in enumerate(metrics):
        values = [scores.get(metric) for scores in groups.values()]
        heights = [v if v is not None else 0.02 for v in values]
        bars = ax.bar(x + (i - (len(metrics) - 1) / 2) * width, heights, width, label=METRICS[metric].label)
        for bar, v in zip(bars, values):
            if v is None:
                bar.set_hatch("//")
                bar.set_alpha(0.2)
                ax.text(bar.get_x() + bar.get_width() / 2, 0.03, "n/a", ha="center", va="bottom", rotation=90, fontsize=7)
    ax.set_xticks(x, list(groups), rotation=20, ha="right")
    ax.set_ylim(0, 1.05)
    ax.yaxis.grid(True, alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(metrics), frameon=False)
