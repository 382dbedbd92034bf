"""Shapes imported documents add: a measure over several paragraphs, a table inside a measure."""

from __future__ import annotations

from ingest.clause_splitter import split_clauses
from ingest.text_cleaner import clean_policy_text

TITLE = "武汉市测试若干措施"


def labels(text: str) -> list[tuple[str, str]]:
    cleaned = clean_policy_text(text, TITLE)
    return [(c.label, cleaned[c.start : c.end]) for c in split_clauses(cleaned, TITLE)]


def test_a_paragraph_between_measures_continues_the_measure_above():
    text = f"{TITLE}\n一、支持研发。给予补贴。\n对首次认定的企业另给予10万元奖励。\n（责任单位：市某局）\n二、支持人才。给予奖励。\n本措施自2026年1月1日起施行。\n"
    found = labels(text)
    assert [label for label, _ in found] == ["一、支持研发", "二、支持人才", "附则"]
    assert "另给予10万元奖励" in found[0][1] and "本措施" in found[2][1]


def test_table_rows_after_the_last_measure_stay_in_it():
    text = f"{TITLE}\n一、奖励。按下表奖励：\n级别：国家级，奖励：50万元。\n级别：省级，奖励：20万元。\n本措施自2026年1月1日起施行。\n"
    found = labels(text)
    assert [label for label, _ in found] == ["一、奖励", "附则"]
    assert "省级，奖励：20万元" in found[0][1]
