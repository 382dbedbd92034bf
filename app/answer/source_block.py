"""The retrieved clauses as the numbered sources [1]..[n] of the LLM prompt.

Each source carries what the model needs to cite and to warn correctly: the
policy title and number, the clause label, the status today and the dates.
Text placed between the prompt's <<<…>>> delimiters is first stripped of
anything that looks like a delimiter, so a clause (or a question) cannot close
its block early and pose as instructions.
"""

from __future__ import annotations

import datetime as dt
import re

from app.answer.policy_status import STATUS_LABEL_ZH, dates_zh, policy_status
from app.retrieval.hybrid_retriever import ScoredChunk

_DELIMITER_LIKE = re.compile(r"<{2,}|>{2,}|《{2,}|》{2,}")


def as_data(text: str) -> str:
    """`text` with delimiter-like runs (<<<, >>>) reduced to a single character."""
    return _DELIMITER_LIKE.sub(lambda m: m.group(0)[0], text)


def format_source(number: int, hit: ScoredChunk, today: dt.date) -> str:
    doc, chunk = hit.doc, hit.chunk
    doc_number = f"（{doc.doc_number}）" if doc.doc_number else ""
    status = policy_status(doc, today)
    return "\n".join(
        [
            f"[{number}] 《{as_data(doc.title)}》{as_data(doc_number)}",
            f"条款：{as_data(chunk.label)}",
            f"状态：{STATUS_LABEL_ZH[status]}（{dates_zh(doc)}）",
            f"原文：{as_data(chunk.text)}",
        ]
    )


def format_sources(hits: list[ScoredChunk], today: dt.date) -> str:
    return "\n\n".join(format_source(i, hit, today) for i, hit in enumerate(hits, start=1))
