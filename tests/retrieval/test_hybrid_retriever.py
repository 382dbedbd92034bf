"""The hybrid retriever finds the clause that answers founders' questions."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from langchain_core.documents import Document

from app.retrieval.hybrid_retriever import HybridRetriever

QUESTIONS = tomllib.loads((Path(__file__).parent / "retrieval_questions.toml").read_text(encoding="utf-8"))["questions"]


@pytest.fixture(scope="module")
def retriever(advisor) -> HybridRetriever:
    return advisor.retriever


@pytest.mark.parametrize("question, doc_id, clause", QUESTIONS, ids=[q[0][:16] for q in QUESTIONS])
def test_answering_clause_is_in_the_top_three(retriever, question, doc_id, clause):
    found = [(h.doc.id, h.chunk.label) for h in retriever.search(question, k=3)]
    assert any(d == doc_id and c in clause.split("|") for d, c in found), found


def _top1_ok(retriever, question: str, doc_id: str, clause: str) -> bool:
    hit = retriever.search(question, k=1)[0]
    return hit.doc.id == doc_id and hit.chunk.label in clause.split("|")


def test_hybrid_hit_at_1_on_the_question_set(retriever):
    top1 = [_top1_ok(retriever, *q) for q in QUESTIONS]
    assert sum(top1) / len(top1) >= 0.9, [q for q, ok in zip(QUESTIONS, top1) if not ok]


def test_is_a_langchain_retriever(retriever):
    docs = retriever.invoke("洪山区算力补贴")
    assert all(isinstance(d, Document) for d in docs) and len(docs) == retriever.k
    first = docs[0].metadata
    assert first["doc_id"] == "hongshan-ai-2025" and first["clause"] == "五、强化算力普惠供给"
    assert first["doc_number"] == "洪政规〔2025〕2号" and first["score"] > 0


def test_naming_a_district_prefers_its_policy(retriever):
    assert retriever.search("洪山区对算力有什么支持", k=1)[0].doc.id == "hongshan-ai-2025"
    assert retriever.search("OPC对算力有什么支持", k=1)[0].doc.id == "wuhan-opc-2026"


def test_bm25_and_dense_modes_work_alone(advisor):
    for mode in ("bm25", "dense"):
        alone = advisor.retriever.model_copy(update={"mode": mode})
        hit = alone.search("算力服务券", k=1)[0]
        assert hit.doc.id == "wuhan-opc-2026"
        assert (hit.bm25 > 0) == (mode == "bm25") and (hit.dense > 0) == (mode == "dense")


def test_bm25_index_persists_beside_the_vectors(settings):
    from ingest.index_store import IndexVersion, version_dir

    current = IndexVersion.read(settings.index_dir)
    assert (version_dir(settings.index_dir, current.version) / "bm25" / "vocab.index.json").is_file()
