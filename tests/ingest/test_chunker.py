"""Chunks keep words and numbers whole and point at the exact cleaned text."""

from __future__ import annotations

import re

from ingest.chunker import chunk_clause
from ingest.pipeline import prepare_corpus
from ingest.records import Chunk, Clause
from policy_core.settings import Settings

NUMBER_WITH_UNIT = re.compile(r"\d[\d.]*\s*(?:万元|元|%|卡时|万|平方米|个|家|场|年|人)")


def _boundary_cuts_number(left: str, right: str) -> bool:
    joined = left[-6:] + right[:6]
    cut = len(left[-6:])
    for m in NUMBER_WITH_UNIT.finditer(joined):
        if m.start() < cut < m.end():
            return True
    return bool(left and right and left[-1].isdigit() and right[0].isdigit())


def test_corpus_chunks_quote_exact_text_and_never_split_a_number(tmp_path):
    settings = Settings(advisor_home=tmp_path, _env_file=None)
    docs, chunks = prepare_corpus(settings)
    cleaned = {d.id: d.cleaned_text for d in docs}
    assert len(chunks) > 40
    for chunk in chunks:
        text = cleaned[chunk.doc_id]
        assert text[chunk.start : chunk.end] == chunk.text
        assert not _boundary_cuts_number(text[: chunk.start], text[chunk.start :])
        assert not _boundary_cuts_number(text[: chunk.end], text[chunk.end :])
    long_clause_parts = [c for c in chunks if c.part > 0]
    assert long_clause_parts, "the long OPC measures are split"
    assert all(len(c.text) <= settings.chunk_max_chars for c in chunks)


def test_long_clause_splits_at_sentence_ends_only():
    sentence = "对购买算力服务的企业给予最高 20 万元补贴，每家每年2000卡时。"
    text = "五、强化算力普惠供给。" + sentence * 6
    clause = Clause("五、强化算力普惠供给", 0, len(text), "measure")
    chunks = chunk_clause("doc", clause, text, max_chars=80)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text.endswith("。")
        assert chunk.label == "五、强化算力普惠供给"
    assert "".join(c.text for c in chunks) == text


def test_sentence_longer_than_the_limit_is_cut_after_a_comma_not_inside_a_number():
    text = "，".join(["给予最高100万元资金支持"] * 12) + "。"
    clause = Clause("三、支持", 0, len(text), "measure")
    chunks = chunk_clause("doc", clause, text, max_chars=50)
    assert len(chunks) > 1
    for chunk in chunks[:-1]:
        assert chunk.text.endswith("，")
    assert all("100万元" in c.text for c in chunks)


def test_units_follow_the_annotation_after_each_sentence_group():
    text = "一、甲。第一句很长很长的内容。(责任单位:市数据局)第二句也很长很长的内容。(责任单位:各区人民政府〈含开发区〉)"
    clause = Clause("一、甲", 0, len(text), "measure", units=("市数据局", "各区人民政府"))
    chunks = chunk_clause("doc", clause, text, max_chars=30)
    by_text = {c.text: c.units for c in chunks}
    assert any(units == ("市数据局",) for units in by_text.values())
    assert any(units == ("各区人民政府",) for units in by_text.values())


def test_chunk_id_derives_from_content():
    a = Chunk("doc", "一、甲", 0, 5, "文本内容。")
    b = Chunk("doc", "一、甲", 0, 5, "文本内容。")
    c = Chunk("doc", "一、甲", 0, 5, "文本改了。")
    assert a.id == b.id != c.id
