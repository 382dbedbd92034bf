"""The provisions coverage line: every clause that grants something has a reviewed provision, and a gap is named."""

from __future__ import annotations

from eval.provision_coverage import provision_coverage


def test_every_granting_clause_of_the_three_documents_has_a_provision(advisor):
    snapshot = advisor.index.snapshot()
    coverage = provision_coverage(snapshot.docs.values(), snapshot.provisions)
    assert coverage.granting_clauses >= 30 and coverage.uncovered == []
    assert coverage.line().startswith(f"Provisions coverage: {coverage.granting_clauses} of {coverage.granting_clauses} clauses")


def test_a_clause_without_its_provisions_is_named(advisor):
    snapshot = advisor.index.snapshot()
    fewer = [p for p in snapshot.provisions if p.clause != "五、强化算力普惠供给"]
    coverage = provision_coverage(snapshot.docs.values(), fewer)
    assert coverage.uncovered == ["hongshan-ai-2025: 五、强化算力普惠供给"]
    assert coverage.covered == coverage.granting_clauses - 1
    assert "without one: hongshan-ai-2025: 五、强化算力普惠供给." in coverage.line()
