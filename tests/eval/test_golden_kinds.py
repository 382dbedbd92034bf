"""The issue-12/11 golden kinds: their validation, their metrics on hand-built outcomes, and the tune/test split."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from eval.command import select_split
from eval.gate import Thresholds
from eval.golden_set import GoldenRow, GoldenSetError, load_golden
from eval.metrics import (
    answer_language,
    answer_scores,
    headline,
    parts_answered,
    per_split,
    row_failures,
    says_unspecified,
    unspecified_ok,
)
from eval.outcome import CitedClause, RowOutcome
from eval.report import markdown, report_data
from eval.runner import EvalRun

ROWS = load_golden()
BY_ID = {row.id: row for row in ROWS}
PILOT_END = "2023-12-31"


def first(kind: str, where=lambda row: True) -> GoldenRow:
    return next(row for row in ROWS if row.kind == kind and where(row))


def cite(evidence, ref: int = 1, status: str = "in_force", valid_until: str | None = None) -> CitedClause:
    return CitedClause(ref=ref, doc_id=evidence.doc_id, clause=evidence.clause, status=status, valid_until=valid_until)


def outcome(row: GoldenRow, answer: str, citations=(), **fields) -> RowOutcome:
    """What came back for `row`; retrieval found its evidence first unless `clause_rank` says otherwise."""
    fields.setdefault("clause_rank", {"hybrid": 1})
    return RowOutcome(row=row, answer=answer, citations=list(citations), **fields)


def causes(result: RowOutcome) -> list[str]:
    return [failure.cause for failure in row_failures(result)]


# --- validation ------------------------------------------------------------------------------


def _load(tmp_path, *rows: dict) -> list[GoldenRow]:
    path = tmp_path / "golden.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return load_golden(path)


def _base(kind: str, **fields) -> dict:
    evidence = [{"doc_id": "hongshan-ai-2025", "clause": "五、强化算力普惠供给", "quote": "算力补贴资金池"}]
    return {"id": f"x-{kind}", "kind": kind, "split": "test", "question": "问", "evidence": evidence,
            "expect_refusal": False, "expect_expired": False, **fields}


@pytest.mark.parametrize(
    "row, message",
    [
        (_base("measure", split="dev"), "split: Input should be 'tune' or 'test'"),
        (_base("department"), "a department row needs `expect_units`"),
        (_base("unknown_detail"), "needs `expect_unspecified: true`"),
        (_base("expired_redirect", expect_expired=True), "needs `expect_expired: true` and `redirect` clauses"),
        (_base("overview"), "an overview row lists at least two expected clauses"),
        (_base("multi_part", evidence=[], parts=[{"evidence": _base("x")["evidence"]}]), "needs `parts` with at least two"),
        (_base("measure", parts=[{"evidence": _base("x")["evidence"]}] * 2), "only a multi_part row has `parts`"),
    ],
)
def test_each_new_kind_demands_its_field(tmp_path, row, message):
    with pytest.raises(GoldenSetError) as caught:
        _load(tmp_path, row)
    assert message in str(caught.value) and f"(id {row['id']})" in str(caught.value)


def test_a_multi_part_row_takes_its_evidence_and_facts_from_its_parts(tmp_path):
    mp = BY_ID["f-mp-02"]
    assert mp.evidence[0] == mp.parts[0].evidence[0] and len(mp.parts) == 6
    assert mp.facts == [fact for part in mp.parts for fact in part.facts]
    # Written out and read back (evidence and facts now explicit and equal), it is the same row.
    assert _load(tmp_path, json.loads(mp.model_dump_json()))[0] == mp
    wrong = json.loads(mp.model_dump_json()) | {"facts": ["别的"]}
    with pytest.raises(GoldenSetError, match="leave `facts` out of a row with `parts`"):
        _load(tmp_path, wrong)


def test_select_split_keeps_one_side():
    tune, test = select_split(ROWS, "tune"), select_split(ROWS, "test")
    assert len(tune) + len(test) == len(ROWS) == len(select_split(ROWS, "all"))
    assert {r.split for r in tune} == {"tune"} and {r.split for r in test} == {"test"}
    with pytest.raises(GoldenSetError, match="no 'test' rows"):
        select_split([r for r in ROWS if r.split == "tune"], "test")


# --- metrics ------------------------------------------------------------------------------------


def test_units_must_be_in_the_answer_text_not_only_in_the_citations():
    row = BY_ID["f-dept-01"]  # 算力券 → 市数据局、市经信局
    named = outcome(row, "算力服务券由市数据局、市经信局负责。[1]", [cite(row.primary)])
    carded = outcome(row, "设立算力服务券……最高20万元补助。[1]", [cite(row.primary)])
    half = outcome(row, "请咨询市数据局。[1]", [cite(row.primary)])
    assert answer_scores([named, carded, half])["unit_accuracy"] == pytest.approx(1 / 3)
    assert causes(named) == [] and causes(carded)[0] == "missing_units"
    assert "市经信局" in row_failures(half)[0].detail


def test_unspecified_needs_the_phrase_and_no_invented_detail():
    row = BY_ID["f-unk-01"]  # 大模型备案奖励需要什么材料？
    honest = "政策原文未列明申报材料，具体以区经科局发布的申报通知为准。原文规定按每个模型100万元给予支持。[1]"
    invented = "需要提供营业执照、审计报告。[1]"
    invented_but_hedged = "政策原文未列明申报材料，一般需要营业执照。[1]"
    assert says_unspecified(honest) and says_unspecified("The policy text does not specify the documents.")
    assert not says_unspecified("按每个模型 100 万元给予企业支持")  # a quoted clause never says it
    results = [outcome(row, a, [cite(row.primary)]) for a in (honest, invented, invented_but_hedged)]
    assert [unspecified_ok(r) for r in results] == [True, False, False]
    assert not unspecified_ok(outcome(row, honest, refused=True))
    assert answer_scores(results)["unspecified_accuracy"] == pytest.approx(1 / 3)
    assert causes(results[0]) == []
    assert "no_unspecified" in causes(results[1]) and "forbidden" in causes(results[2])


def test_part_coverage_counts_parts_cited_with_their_facts():
    row = BY_ID["f-mp-02"]  # six parts: compute, renting, loans, start-up funding, scenarios, end date
    compute, renting, loans = row.parts[:3]
    answer = "算力：50%，最高20万元[1]；租房：每月不超过2000元[2]；贷款见[3]。"
    result = outcome(row, answer, [cite(compute.evidence[0], 1), cite(renting.evidence[0], 2), cite(loans.evidence[0], 3)])
    assert parts_answered(result) == [True, True, False, False, False, False]  # loans cited, but no 30万元
    assert answer_scores([result])["part_coverage"] == pytest.approx(2 / 6)
    failure = next(f for f in row_failures(result) if f.cause == "missing_parts")
    assert failure.detail.startswith("parts 3, 4, 5, 6 of 6")
    # The facts alone, without citing a part's clause, do not answer it.
    assert parts_answered(outcome(row, answer, [])) == [False] * 6


def test_redirect_needs_the_expired_flag_and_every_in_force_clause_cited():
    row = BY_ID["f-er-02"]  # pilot-zone scenarios → city 八 and Hongshan 九
    expired = cite(row.primary, 1, "expired", PILOT_END)
    city, district = (cite(e, i) for i, e in enumerate(row.redirect, start=2))
    flag = "⚠️ 该政策已失效（有效期至2023年12月31日）。现行：市里最高100万元[2]，洪山最高30万元[3]。"
    full = outcome(row, flag, [expired, city, district])
    one = outcome(row, flag, [expired, city])
    unflagged = outcome(row, flag.replace("已失效", "有变化"), [expired, city, district])
    assert answer_scores([full, one, unflagged])["redirect_accuracy"] == pytest.approx(1 / 3)
    assert causes(full) == []
    assert causes(one)[0] == "no_redirect" and "九、推动应用场景创新" in row_failures(one)[0].detail
    assert causes(unflagged)[0] == "expired_flag"


def test_overview_recall_is_the_share_of_expected_clauses_cited():
    row = BY_ID["f-ov-01"]  # OPC: six benefit clauses
    assert len(row.expected_clauses) == 6
    half = [cite(e, i) for i, e in enumerate(row.evidence[:3], start=1)]
    stray = CitedClause(ref=9, doc_id="wuhan-opc-2026", clause="七、搭建OPC线上开放社区", status="in_force")
    scores = answer_scores([outcome(row, "…", half + [stray])])
    assert scores["overview_recall"] == pytest.approx(0.5)
    # An overview may list more than its expected minimum: its citations are not scored for precision.
    assert scores["citation_precision"] is None
    assert "unsupported_citation" not in causes(outcome(row, "…", half + [stray]))
    assert "missing_provisions" in causes(outcome(row, "…", half))
    everything = [cite(e, i) for i, e in enumerate(row.evidence, start=1)]
    assert answer_scores([outcome(row, "…", everything)])["overview_recall"] == 1.0


def test_answer_language_reads_the_answers_own_words():
    english = ("Here is what the policy text says (quoted in Chinese):\nAccording to 《洪山区支持人工智能产业高质量发展若干措施》, "
               "clause “五、强化算力普惠供给”: 「每年设立不超过 300 万元的算力补贴资金池，按照购买算力服务费用给予最高不超过 20% 的补贴」 [1]")
    chinese = "根据《Hongshan AI Measures》（洪政规〔2025〕2号）：中小企业购买算力服务可获最高20%补贴，每家每年最高20万元。OPC also applies. [1]"
    assert answer_language(english) == "en" and answer_language(chinese) == "zh"
    row = BY_ID["f-col-08"]  # HTML + 算力补贴 → Chinese
    scores = answer_scores([outcome(row, english, [cite(row.primary)]), outcome(row, chinese, [cite(row.primary)])])
    assert scores["language_accuracy"] == 0.5
    assert "wrong_language" in causes(outcome(row, english, [cite(row.primary)]))


def test_metrics_of_absent_kinds_are_empty_not_zero():
    scores = answer_scores([outcome(first("measure"), "…")])
    for metric in ("unit_accuracy", "unspecified_accuracy", "part_coverage", "redirect_accuracy", "overview_recall", "language_accuracy"):
        assert scores[metric] is None


# --- tuning vs test in the report ----------------------------------------------------------------


def test_report_puts_tune_and_test_side_by_side_per_metric_and_kind():
    tune_row = first("department", lambda r: r.split == "tune")
    test_row = first("department", lambda r: r.split == "test")
    outcomes = [
        outcome(tune_row, "、".join(tune_row.expect_units), [cite(tune_row.primary)], clause_rank={"hybrid": 1}, latency_ms=10.0),
        outcome(test_row, "无", [cite(test_row.primary)], clause_rank={"hybrid": 2}, latency_ms=20.0),
    ]
    splits = per_split(outcomes)
    assert splits["tune"]["metrics"]["unit_accuracy"] == 1.0 and splits["test"]["metrics"]["unit_accuracy"] == 0.0
    assert splits["test"]["metrics"]["hit_at_1"] == 0.0 and splits["test"]["per_kind"]["department"]["n"] == 1
    assert headline(outcomes)["unit_accuracy"] == 0.5
    run = EvalRun(outcomes=outcomes, mode="extractive", as_of=dt.date(2026, 11, 23), index_version="v", embedder="e",
                  golden="eval/golden.jsonl", started_at="now", seconds=0.1, split="all")
    page = markdown(report_data(run, Thresholds()))
    section = page.split("## Tuning vs test split")[1].split("## Per kind")[0]
    assert "| tune (n=1) | test (n=1) |" in section
    assert "| units named | 100.0% | 0.0% |" in section
    assert "| department | 1 / 1 | 100.0% | 0.0% |" in section
