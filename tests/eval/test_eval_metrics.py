"""The metrics on real golden rows: what counts as a hit, a supported citation, a flagged expiry, a resisted injection."""

from __future__ import annotations

import pytest

from eval.calibration import Strength, best_threshold, misclassified
from eval.gate import Thresholds, check, load_thresholds
from eval.golden_set import GoldenRow, load_golden
from eval.metrics import (
    METRICS,
    answer_scores,
    expired_flag_ok,
    headline,
    missing_facts,
    retrieval_scores,
    row_failures,
)
from eval.outcome import CitedClause, RowOutcome
from eval.runner import evaluation_settings, open_advisor, run_row

ROWS = load_golden()


def first(kind: str, where=lambda row: True) -> GoldenRow:
    return next(row for row in ROWS if row.kind == kind and where(row))


def cite(row: GoldenRow, status: str = "in_force", valid_until: str | None = None, index: int = 0) -> CitedClause:
    evidence = row.evidence[index]
    return CitedClause(ref=index + 1, doc_id=evidence.doc_id, clause=evidence.clause, status=status, valid_until=valid_until)


def answered(row: GoldenRow, answer: str, citations=(), **fields) -> RowOutcome:
    return RowOutcome(row=row, answer=answer, citations=list(citations), **fields)


def test_retrieval_scores_from_ranks():
    scores = retrieval_scores([1, 3, None, 2])
    assert scores["hit_at_1"] == 0.25 and scores["hit_at_3"] == 0.75 and scores["hit_at_5"] == 0.75
    assert scores["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 2) / 4)
    assert retrieval_scores([])["hit_at_1"] is None


def test_facts_match_regardless_of_spaces_and_width():
    row = first("measure", lambda r: len(r.facts) >= 2)
    spaced = "答：" + "，".join(" ".join(fact) for fact in row.facts)
    assert missing_facts(row, spaced) == []
    assert missing_facts(row, spaced.replace(" ".join(row.facts[0]), "")) == [row.facts[0]]
    full_width = row.facts[-1].replace("%", "％")
    assert missing_facts(row, "，".join(row.facts[:-1] + [full_width])) == []


def test_expired_flag_needs_the_status_the_words_and_the_end_date(advisor):
    row = first("expired")
    end = next(p.valid_until for p in advisor.policies() if p.doc_id == row.primary.doc_id)
    year, month, day = (int(part) for part in end.split("-"))
    zh = f"⚠️ 注意：该政策已失效（有效期至{year}年{month}月{day}日）。"
    assert expired_flag_ok(zh, [cite(row, "expired", end)])
    assert expired_flag_ok(f"Note: this policy has expired (valid until {end}).", [cite(row, "expired", end)])
    assert not expired_flag_ok("⚠️ 注意：该政策已失效。", [cite(row, "expired", end)])
    assert not expired_flag_ok(zh, [cite(row, "in_force", end)])
    assert not expired_flag_ok(f"有效期至{year}年{month}月{day}日", [cite(row, "expired", end)])


def test_citation_precision_counts_citations_outside_the_expected_evidence():
    row = first("cross_policy", lambda r: len(r.expected_clauses) >= 2)
    stray = CitedClause(ref=9, doc_id=row.primary.doc_id, clause="不存在的条款", status="in_force")
    right = [cite(row, index=i) for i in range(len(row.evidence))]
    scores = answer_scores([answered(row, "…", right + [stray])])
    assert scores["citation_precision"] == pytest.approx(len(right) / (len(right) + 1))
    refusal_row = first("out_of_scope")
    assert answer_scores([answered(refusal_row, "…", [stray], refused=True)])["citation_precision"] is None


def test_refusal_precision_and_recall():
    out_a, out_b = [row for row in ROWS if row.kind == "out_of_scope"][:2]
    in_a, in_b = [row for row in ROWS if row.kind == "measure"][:2]
    scores = answer_scores(
        [
            answered(out_a, "拒答", refused=True),  # right refusal
            answered(out_b, "答了"),  # missed refusal
            answered(in_a, "拒答", refused=True),  # false refusal
            answered(in_b, "答了"),
        ]
    )
    assert scores["refusal_precision"] == 0.5 and scores["refusal_recall"] == 0.5 and scores["refusal_accuracy"] == 0.5


def test_injection_resistance_and_calculation_accuracy():
    injection = first("injection", lambda r: bool(r.forbidden) and not r.expect_refusal)
    clean = "，".join(injection.facts) or "答案"
    scores = answer_scores([answered(injection, clean), answered(injection, clean + injection.forbidden[0])])
    assert scores["injection_resistance"] == 0.5
    calculation = first("calculation")
    full = "按此计算：" + "，".join(calculation.facts)
    scores = answer_scores([answered(calculation, full), answered(calculation, full, refused=True), answered(calculation, "按此计算：")])
    assert scores["calculation_accuracy"] == pytest.approx(1 / 3)


def test_row_failures_name_the_cause_first_and_keep_the_rest():
    row = first("measure")
    outcome = answered(row, "现有政策文件没有涉及这个问题。", refused=True, strength=0.2, clause_rank={"hybrid": 3}, retrieved=[("x", "y")] * 3)
    causes = [f.cause for f in row_failures(outcome)]
    assert causes[0] == "false_refusal" and "retrieval_rank" in causes and "missing_facts" in causes
    assert row_failures(answered(row, "，".join(row.facts), [cite(row)], clause_rank={"hybrid": 1})) == []


def test_a_real_row_run_through_the_advisor_scores_its_own_retrieval(advisor):
    row = first("multi_turn")
    settings = evaluation_settings(advisor.settings, "extractive")
    outcome = run_row(row, open_advisor(settings, advisor.index), {}, None)
    assert outcome.latency_ms is not None and outcome.strength is not None
    rank = outcome.clause_rank["hybrid"]
    assert (rank is None) == (row.primary.key not in outcome.retrieved)
    if rank is not None:
        assert outcome.retrieved[rank - 1] == row.primary.key and row.primary.key not in outcome.retrieved[: rank - 1]
    assert headline([outcome])["n"] == 1


def test_gate_names_metrics_on_the_wrong_side_and_skips_empty_ones():
    metrics = {"hit_at_1": 0.8, "fact_recall": None, "latency_p95_ms": 120.0}
    violations = check(metrics, Thresholds(minimum={"hit_at_1": 0.9, "fact_recall": 0.95}, maximum={"latency_p95_ms": 100}))
    assert [v.metric for v in violations] == ["hit_at_1", "latency_p95_ms"]
    assert "hit_at_1 (hit@1) = 80.0%, below the minimum 90.0%" == str(violations[0])
    assert check({"hit_at_1": 0.9}, Thresholds(minimum={"hit_at_1": 0.9})) == []


def test_committed_thresholds_name_known_metrics_and_cover_the_issue_targets():
    thresholds = load_thresholds()
    assert set(thresholds.minimum) | set(thresholds.maximum) <= set(METRICS)
    assert {"hit_at_5", "hit_at_1", "fact_recall", "refusal_accuracy", "expired_flag_accuracy",
            "calculation_accuracy", "injection_resistance"} <= set(thresholds.minimum)
    issue_targets = {"hit_at_5": 1.0, "hit_at_1": 0.95, "fact_recall": 0.95, "refusal_accuracy": 1.0,
                     "expired_flag_accuracy": 1.0, "calculation_accuracy": 1.0, "injection_resistance": 1.0}
    assert {metric: thresholds.target(metric) for metric in issue_targets} == {m: ("min", v) for m, v in issue_targets.items()}
    assert thresholds.target("latency_p95_ms") == ("max", 100.0)
    assert all(thresholds.minimum[m] <= v for m, v in issue_targets.items())


def test_calibration_picks_the_middle_of_the_widest_gap_and_ignores_rule_decisions():
    strengths = [Strength(f"in{i}", s, True, None) for i, s in enumerate((0.6, 0.7, 0.9))]
    strengths += [Strength(f"out{i}", s, False, None) for i, s in enumerate((0.2, 0.3))]
    strengths.append(Strength("rule", 0.95, False, "about 上海"))
    threshold = best_threshold(strengths)
    assert threshold == 0.45 and misclassified(strengths, threshold) == []
    strengths.append(Strength("odd", 0.65, False, None))
    assert len(misclassified(strengths, best_threshold(strengths))) == 1
