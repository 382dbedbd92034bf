"""Tables become one line per row with the header repeated, and no chunk ever cuts a row."""

from __future__ import annotations

from ingest.chunker import chunk_clause
from ingest.clause_splitter import split_clauses
from ingest.table_rows import is_table_row, table_lines
from ingest.text_cleaner import clean_policy_text
from policy_core.settings import Settings
from tests.support.corpus import CORPUS


def test_each_row_names_its_cells():
    rows = [["级别", "奖励"], ["国家级", "50万元"], ["省级", "20万元"]]
    assert table_lines(rows) == ["级别：国家级，奖励：50万元。", "级别：省级，奖励：20万元。"]


def test_merged_and_repeated_cells():
    rows = [
        ["类别", "档次", "奖励"],
        ["A类", "一档", "200万元"],
        ["", "二档", "150万元"],  # vertically merged first column
        ["类别", "档次", "奖励"],  # the header again on the next page
        ["B类", "一档 ", None],  # a merged cell's continuation
    ]
    assert table_lines(rows) == [
        "类别：A类，档次：一档，奖励：200万元。",
        "类别：A类，档次：二档，奖励：150万元。",
        "类别：B类，档次：一档。",
    ]


def test_tables_without_a_header_row_stay_as_written():
    assert table_lines([["发文机关：市科创局", "文号：武科规〔2026〕1号"]]) == ["发文机关：市科创局，文号：武科规〔2026〕1号。"]
    assert table_lines([["只有一列"], ["第二行"]]) == ["只有一列。", "第二行。"]
    assert table_lines([[None, ""], []]) == []


def test_row_lines_are_recognised_and_seed_lines_are_not():
    assert is_table_row("级别：国家级，奖励：80万元，说明：一次性奖励。")
    assert not is_table_row("（责任单位：区经科局）")
    seed_lines = [line for path in CORPUS.glob("*.txt") for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line for line in seed_lines if is_table_row(line)] == []


def test_a_long_clause_with_a_table_is_chunked_between_rows_only():
    title = "武汉市测试奖励办法"
    rows = [["级别", "奖励", "说明"]] + [[f"第{i}级", f"{i * 10}万元", "按项目计算；逐级认定的给予差额奖励"] for i in range(1, 16)]
    text = "\n".join([title, "一、奖励标准。按下表给予奖励：", *table_lines(rows), "（责任单位：市某局）", "二、其他。另行规定。"])
    cleaned = clean_policy_text(text, title)
    clause = split_clauses(cleaned, title)[0]
    assert clause.label == "一、奖励标准" and clause.units == ("市某局",)
    chunks = chunk_clause("t", clause, cleaned, Settings(_env_file=None).chunk_max_chars)
    assert len(chunks) > 1
    for chunk in chunks:
        for line in chunk.text.strip().split("\n"):
            assert line.startswith(("一、", "级别：", "（责任单位")) and line.endswith(("：", "。", "）")), line
