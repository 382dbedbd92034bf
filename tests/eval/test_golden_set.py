"""The golden set itself: it covers what the issue asks, and every expectation points at real text."""

from __future__ import annotations

from collections import Counter

import pytest

from eval.golden_set import NEW_ROW_PREFIX, GoldenSetError, hashed_split, load_golden
from ingest.records import ClauseText

ROWS = load_golden()
MINIMUM_PER_KIND = {
    "expired": 10,
    "out_of_scope": 12,
    "cross_policy": 6,
    "english": 6,
    "multi_turn": 6,
    "injection": 6,
    "department": 12,
    "unknown_detail": 12,
    "multi_part": 10,
    "expired_redirect": 8,
    "overview": 8,
    "calculation": 30,
}
SECTION_KINDS = {"measure", "item", "section", "sub_item"}


def test_golden_set_has_the_rows_the_issue_asks_for():
    counts = Counter(row.kind for row in ROWS)
    assert len(ROWS) >= 120
    short = {kind: counts[kind] for kind, least in MINIMUM_PER_KIND.items() if counts[kind] < least}
    assert not short, f"too few rows of these kinds: {short}"
    assert all(len(row.turns or []) >= 2 for row in ROWS if row.kind == "multi_turn")
    assert all(row.forbidden or row.expect_refusal for row in ROWS if row.kind == "injection")


def _clauses(advisor) -> dict[tuple[str, str], ClauseText]:
    return {(p.doc_id, c.clause.label): c for p in advisor.policies() for c in advisor.policy_clauses(p.doc_id)}


def test_every_clause_label_exists_in_the_index(advisor):
    clauses = _clauses(advisor)
    unknown = [(row.id, e.doc_id, e.clause) for row in ROWS for e in row.all_evidence if e.key not in clauses]
    assert not unknown, f"evidence names clauses the index does not have: {unknown}"


def test_every_evidence_quote_is_in_its_clause_text(advisor):
    clauses = _clauses(advisor)
    corpus = {p.doc_id: "".join(c.text for c in advisor.policy_clauses(p.doc_id)) for p in advisor.policies()}
    missing = [
        (row.id, e.clause, e.quote)
        for row in ROWS
        for e in row.all_evidence
        if e.key in clauses and e.quote not in clauses[e.key].text
    ]
    assert not missing, f"quotes not found verbatim in their clause: {missing}"
    assert all(e.quote in corpus[e.doc_id] for row in ROWS for e in row.all_evidence)


def test_every_measure_item_and_annex_section_has_two_questions(advisor):
    asked = Counter(key for row in ROWS for key in row.expected_clauses)
    thin = [
        key
        for key, clause in _clauses(advisor).items()
        if clause.clause.kind in SECTION_KINDS and asked[key] < 2
    ]
    assert not thin, f"sections with fewer than two golden questions: {thin}"


def test_refusal_rows_carry_no_evidence_and_expired_rows_cite_an_expired_policy(advisor):
    status = {p.doc_id: p.status for p in advisor.policies()}
    assert all(not row.evidence for row in ROWS if row.expect_refusal)
    assert all(status[row.primary.doc_id] == "expired" for row in ROWS if row.expect_expired)
    assert all(status[e.doc_id] == "in_force" for row in ROWS for e in row.redirect)


def test_expected_units_are_units_the_cited_clauses_name(advisor):
    """A department row expects units its evidence clauses actually name (in their 责任单位 or their text)."""
    clauses = _clauses(advisor)
    wrong = [
        (row.id, unit)
        for row in ROWS
        for unit in row.expect_units
        if not any(unit in clauses[e.key].clause.units or unit in clauses[e.key].text for e in row.evidence)
    ]
    assert not wrong, f"expected units no evidence clause names: {wrong}"


def test_the_split_follows_the_documented_rule():
    old = [row for row in ROWS if not row.id.startswith(NEW_ROW_PREFIX)]
    new = [row for row in ROWS if row.id.startswith(NEW_ROW_PREFIX)]
    assert [row.id for row in old if row.split != hashed_split(row.id)] == []
    assert 0.2 <= sum(row.split == "test" for row in old) / len(old) <= 0.4
    assert len(new) >= 80 and sum(row.split == "test" for row in new) > 0.6 * len(new)
    assert {"tune", "test"} == {row.split for row in ROWS}
    # Every new kind has rows to tune on and rows held out.
    for kind in ("department", "unknown_detail", "multi_part", "expired_redirect", "overview"):
        assert {"tune", "test"} <= {row.split for row in ROWS if row.kind == kind}, kind


def test_a_broken_file_names_each_bad_row(tmp_path):
    good = ROWS[0].model_dump_json(exclude_none=True)
    path = tmp_path / "golden.jsonl"
    path.write_text(
        "\n".join(
            [
                good,
                "{not json",
                '{"id": "no-kind", "question": "洪山区算力补贴多少？", "expect_refusal": false, "expect_expired": false}',
                '{"id": "both", "kind": "measure", "split": "tune", "question": "a", "turns": ["b"], "evidence": [], "expect_refusal": true, "expect_expired": false}',
                good,
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(GoldenSetError) as caught:
        load_golden(path)
    message = str(caught.value)
    assert "line 2: invalid JSON" in message
    assert "line 3 (id no-kind): kind: Field required" in message
    assert "line 4 (id both): give exactly one of `question` and `turns`" in message
    assert f"line 5 (id {ROWS[0].id}): duplicate id, first used on line 1" in message
