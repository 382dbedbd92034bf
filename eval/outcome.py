"""What came back for one golden row: the answer, its citations, and where each retriever ranked the evidence."""

from __future__ import annotations

from pydantic import BaseModel, Field

from eval.golden_set import GoldenRow

# Retrievers compared side by side; "hybrid" is the one the advisor answers with.
OWN_RETRIEVERS = ("hybrid", "bm25", "dense")
LANGCHAIN_BASELINE = "langchain"
RETRIEVERS = (*OWN_RETRIEVERS, LANGCHAIN_BASELINE)


class CitedClause(BaseModel):
    ref: int
    doc_id: str
    clause: str
    status: str
    valid_until: str | None = None


class RowOutcome(BaseModel):
    row: GoldenRow
    answer: str = ""
    refused: bool = False
    mode: str = ""
    citations: list[CitedClause] = Field(default_factory=list)
    latency_ms: float | None = None
    resolved_question: str | None = None
    error: str | None = Field(None, description="The advisor rejected the question (QuestionError message).")
    strength: float | None = Field(None, description="Evidence strength the scope guard computed.")
    claims: int = Field(0, description="Sentences of the answer stating a fact (amount, rate, date, unit, place, policy, condition).")
    unsupported_claims: int = Field(0, description="Of those, the ones whose facts are not in the sources they cite.")
    retrieved: list[tuple[str, str]] = Field(
        default_factory=list, description="(doc_id, clause) of each chunk the answer's retrieval returned, best first."
    )
    clause_rank: dict[str, int | None] = Field(
        default_factory=dict, description="Per retriever: 1-based rank of the first chunk of the primary clause."
    )
    quote_rank: dict[str, int | None] = Field(
        default_factory=dict, description="Per retriever: 1-based rank of the first chunk containing the primary quote."
    )
