"""The maintainers' reports over logged questions, and golden-row drafts from chosen ones."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.records.question_reports import (
    LoggedQuestion, disliked, most_asked_topics, per_day, per_surface_and_site, refused_groups, weak_evidence,
)  # fmt: skip
from eval.golden_drafts import draft_row, guess_kind, write_drafts
from eval.golden_set import GoldenRow, load_golden

T0 = dt.datetime(2026, 11, 1, 9, tzinfo=dt.timezone.utc)


def logged(n: int, question: str, refused: bool = False, **fields) -> LoggedQuestion:
    values = dict(
        id=n, answer_id=f"a{n}", asked_at=T0 + dt.timedelta(hours=n), surface="api", origin=None, question=question,
        resolved_question=None, refused=refused, strength=0.1 if refused else 0.8, citations=[], mode="extractive",
        latency_ms=5.0, session_hash=None, rating=None, reason=None, comment=None,
    )  # fmt: skip
    return LoggedQuestion(**{**values, **fields})


def test_refused_questions_are_grouped_by_similar_wording():
    rows = [
        logged(1, "北京有什么人工智能补贴", refused=True),
        logged(2, "养老补贴多少钱", refused=True),
        logged(3, "北京的人工智能补贴有哪些", refused=True),
        logged(4, "洪山区买算力有补贴吗"),
        logged(5, "北京人工智能企业补贴政策", refused=True),
    ]
    groups = refused_groups(rows)
    assert [[q.id for q in g.questions] for g in groups] == [[1, 3, 5], [2]]
    assert groups[0].example == "北京有什么人工智能补贴"


def test_topics_dislikes_weak_evidence_and_sites():
    label = "《洪山区支持人工智能产业高质量发展若干措施》五、强化算力普惠供给"
    rows = [
        logged(1, "买算力有补贴吗", citations=[label, label], surface="widget", origin="https://a.example", rating="down", reason="不完整"),
        logged(2, "算力券怎么用", citations=[label], strength=0.4, surface="widget", origin="https://a.example", rating="up"),
        logged(3, "天气", refused=True, citations=[]),
        logged(4, "OPC租房", citations=["《OPC》二、住房"], strength=0.45),
    ]
    assert most_asked_topics(rows) == [(label, 2), ("《OPC》二、住房", 1)]
    assert [r.id for r in disliked(rows)] == [1]
    assert [r.id for r in weak_evidence(rows, below=0.5)] == [2, 4], "weakest first, refused ones left out"
    widget, api = per_surface_and_site(rows)
    assert (widget.surface, widget.origin, widget.asked, widget.up, widget.down) == ("widget", "https://a.example", 2, 1, 1)
    assert (api.asked, api.refused) == (2, 1)


def test_per_day_counts_fill_quiet_days_with_zeros():
    rows = [
        logged(1, "算力补贴", rating="up"),  # 2026-11-01 10:00
        logged(2, "北京补贴", refused=True, rating="down"),
        logged(50, "租房补贴"),  # 2026-11-03 11:00
    ]
    days = per_day(rows)
    assert [(d.day.day, d.asked, d.refused, d.up, d.down) for d in days] == [(1, 2, 1, 1, 1), (2, 0, 0, 0, 0), (3, 1, 0, 0, 0)]
    assert days[0].refusal_rate == 0.5 and days[1].refusal_rate == 0.0
    widened = per_day(rows, since=dt.date(2026, 10, 31), until=dt.date(2026, 11, 4))
    assert [d.asked for d in widened] == [0, 2, 0, 1, 0]
    assert per_day([]) == []


@pytest.mark.parametrize(
    ("question", "refused", "kind"),
    [
        ("北京有补贴吗", True, "out_of_scope"),
        ("Is there a compute subsidy in Hongshan?", False, "english"),
        ("算力券找哪个部门申请", False, "department"),
        ("试验区的政策还有效吗", False, "expired"),
        ("买了100万元算力能补多少", False, "calculation"),
        ("OPC有什么支持", False, "measure"),
    ],
)
def test_kind_is_guessed(question, refused, kind):
    assert guess_kind(question, refused) == kind


def test_drafts_are_golden_rows_with_expectations_left_to_fill(tmp_path):
    refused = logged(7, "北京有什么人工智能补贴", refused=True, rating="down", reason="答非所问")
    answered = logged(8, "那市里呢？", resolved_question="武汉市 算力 补贴")
    target = tmp_path / "drafts.jsonl"
    assert write_drafts([refused, answered], target) == 2
    first, second = (json.loads(line) for line in target.read_text(encoding="utf-8").splitlines())
    GoldenRow.model_validate(first)  # a refusal draft is a valid row as it stands
    assert first["id"] == "f-log-7" and first["expect_refusal"] and "答非所问" in first["note"]
    assert second["question"] == "武汉市 算力 补贴" and second["evidence"] == [] and "那市里呢" in second["note"]
    with pytest.raises(Exception, match="evidence"):
        load_golden(target)  # the answered draft is refused until the maintainer fills in its evidence
    assert draft_row(answered)["split"] == "test"
