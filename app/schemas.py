"""The answer contract shared by `ask --json`, the web API, the widget and the evaluation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

PolicyStatus = Literal["in_force", "expired", "not_yet_effective"]
AnswerMode = Literal["extractive", "llm"]  # quoted clauses, or an LLM over them


class Citation(BaseModel):
    ref: int = Field(description="The number used in the answer text, [ref].")
    doc_id: str
    doc_title: str
    doc_number: str = Field(description="Document number such as 洪政规〔2025〕2号; empty when the text gives none.")
    clause: str = Field(description="Human clause label, e.g. 五、强化算力普惠供给 or 附件 三（二）场地设施.")
    text: str = Field(description="The clause text exactly as in the cleaned source.")
    status: PolicyStatus
    effective_from: str | None = Field(description="YYYY-MM-DD, or null when the text gives no date.")
    valid_until: str | None = Field(description="YYYY-MM-DD, or null when open-ended.")
    score: float = Field(description="Retrieval score (reciprocal-rank fusion).")
    units: list[str] = Field(default_factory=list, description="Responsible units named by the clause.")
    highlights: list[tuple[int, int]] = Field(
        default_factory=list, description="[start, end) offsets within `text` of the sentences the answer used."
    )


class AnswerResult(BaseModel):
    question: str
    answer: str
    mode: AnswerMode
    refused: bool
    citations: list[Citation]
    latency_ms: float
    resolved_question: str | None = Field(
        None, description="The stand-alone question actually searched, when a follow-up was resolved against the conversation."
    )
    strength: float | None = Field(
        None,
        description="Evidence strength of the search (below REFUSAL_THRESHOLD the question is refused); the weakest part's for a message asking several questions.",
    )
    suggestions: list[str] = Field(
        default_factory=list,
        description="Two or three related questions to offer after the answer, from the provisions of the clauses it cites.",
    )


class PolicySummary(BaseModel):
    """One policy the advisor answers from: its metadata and its status today."""

    doc_id: str
    title: str
    issuer: str
    doc_number: str
    region: str
    issued: str | None
    effective_from: str | None
    valid_until: str | None
    status: PolicyStatus
    status_label: str = Field(description="现行有效 / 已失效 / 尚未施行")


class Turn(BaseModel):
    """One earlier exchange of a conversation."""

    question: str
    answer: str = ""
    resolved_question: str | None = None
