"""The cleaned texts and clause labels of the three real documents."""

from __future__ import annotations

import pytest

from ingest.clause_splitter import split_clauses
from ingest.manifest import load_manifest, read_policy_text
from ingest.text_cleaner import CleaningError, clean_policy_text
from tests.support.corpus import CORPUS

CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def clauses_of(doc_id: str):
    doc = next(d for d in load_manifest(CORPUS) if d.id == doc_id)
    cleaned = clean_policy_text(read_policy_text(CORPUS / doc.file), doc.title)
    return cleaned, split_clauses(cleaned, doc.title)


def test_hongshan_has_twelve_measures_preamble_and_closing():
    cleaned, clauses = clauses_of("hongshan-ai-2025")
    measures = [c.label for c in clauses if c.kind == "measure"]
    assert [m.split("、")[0] for m in measures] == CN
    assert measures[4] == "五、强化算力普惠供给"
    assert clauses[0].label == "前言" and clauses[-1].label == "附则"
    assert "就高不重复" in cleaned[clauses[-1].start : clauses[-1].end]
    assert clauses[1].units == ("区经科局",)
    assert clauses[11].units == ("区发改局", "区财政局", "区经科局", "洪山科投集团")


def test_hongshan_cleaning_joins_page_breaks_and_drops_markup():
    cleaned, _ = clauses_of("hongshan-ai-2025")
    assert "最高给予 100 万元奖励" in cleaned
    assert "开发者交流培训等活动" in cleaned
    assert "**" not in cleaned and "#" not in cleaned
    assert "抄送" not in cleaned  # the distribution list after the rule is not policy text
    assert cleaned.startswith("洪山区支持人工智能产业高质量发展若干措施\n")


def test_opc_has_ten_measures_and_the_annex_sections():
    cleaned, clauses = clauses_of("wuhan-opc-2026")
    measures = [c.label for c in clauses if c.kind == "measure"]
    assert [m.split("、")[0] for m in measures] == CN[:10]
    annex = [c.label for c in clauses if c.in_annex]
    assert annex == [
        "附件 前言",
        "附件 一、工作目标",
        "附件 二、建设主体",
        "附件 三（一）专业服务",
        "附件 三（二）场地设施",
        "附件 三（三）金融服务",
        "附件 三（四）生活配套",
        "附件 三（五）公共服务",
        "附件 三（六）生态活动",
        "附件 三（七）场景支持",
        "附件 四、认定流程",
        "附件 五、政策支持",
    ]
    first = clauses[1]
    assert first.label == "一、强化算力服务支撑"
    assert first.units == ("市数据局", "市经信局", "各区人民政府")  # the 〈含…〉 note is not a unit


def test_opc_news_lead_stays_out():
    cleaned, clauses = clauses_of("wuhan-opc-2026")
    assert "大河财立方" not in cleaned
    assert cleaned.startswith("武汉市支持人工智能OPC创新发展若干措施\n为抢抓")
    assert clauses[0].label == "前言"


def test_pilot_zone_has_sixteen_numbered_items():
    cleaned, clauses = clauses_of("wuhan-ai-pilot-zone")
    items = [c for c in clauses if c.kind == "item"]
    assert [c.label.split("、")[0] for c in items] == [str(n) for n in range(1, 17)]
    assert items[4].label == "5、加大创投补助"
    assert items[15].label.startswith("16、")
    assert "2023年12月31日" in cleaned[items[15].start : items[15].end]


def test_clause_offsets_quote_the_cleaned_text_exactly():
    for doc_id in ("hongshan-ai-2025", "wuhan-opc-2026", "wuhan-ai-pilot-zone"):
        cleaned, clauses = clauses_of(doc_id)
        for clause in clauses:
            text = cleaned[clause.start : clause.end]
            assert text == text.strip() and text
            heading = clause.label.removeprefix("附件 ")
            if clause.kind in ("measure", "item"):
                assert text.startswith(heading)


def test_a_text_without_its_title_is_an_error():
    with pytest.raises(CleaningError, match="title"):
        clean_policy_text("一、没有标题的文本。\n", "某某措施")
