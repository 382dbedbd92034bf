"""The manifest fields a policy states about itself are found; what it does not state is listed as missing."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.importers.imported_text import ImportedText
from ingest.manifest import load_manifest, read_policy_text
from ingest.metadata_detector import detect_metadata, parse_date
from tests.support.corpus import CORPUS


@pytest.mark.parametrize(
    "text, expected",
    [("2025年8月12日", dt.date(2025, 8, 12)), ("二〇二五年八月十二日", dt.date(2025, 8, 12)), ("二○二六年十二月三十一日", dt.date(2026, 12, 31)),
     ("2026-03-05 10:30", dt.date(2026, 3, 5)), ("2025年2月30日", None), ("明年", None)],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


def test_the_seed_texts_give_what_the_manifest_says():
    manifest = {doc.id: doc for doc in load_manifest(CORPUS)}
    for doc in manifest.values():
        found = detect_metadata(ImportedText(read_policy_text(CORPUS / doc.file).replace("#", ""), "txt"))
        assert found.title == doc.title.replace(" ", "")
        assert found.valid_until == doc.valid_until
        for name in ("doc_number", "effective_from"):
            assert getattr(found, name) in (getattr(doc, name), "", None), name
    hongshan = detect_metadata(ImportedText(read_policy_text(CORPUS / manifest["hongshan-ai-2025"].file), "txt"))
    assert (hongshan.doc_number, hongshan.issuer, hongshan.region) == ("洪政规〔2025〕2号", "武汉市洪山区人民政府", "洪山区")
    assert hongshan.effective_from == dt.date(2025, 9, 12) and hongshan.missing == ["issued"]


def test_relative_dates_count_from_the_issue_date():
    text = "武汉市测试管理办法\n一、总则。略。\n本办法自印发之日起施行，有效期两年。\n武汉市某某局\n2026年1月15日\n"
    found = detect_metadata(ImportedText(text, "docx"))
    assert (found.issuer, found.issued, found.effective_from, found.valid_until) == (
        "武汉市某某局", dt.date(2026, 1, 15), dt.date(2026, 1, 15), dt.date(2028, 1, 14))
    later = detect_metadata(ImportedText(text.replace("自印发之日起施行", "自公布之日起30日后施行"), "docx"))
    assert later.effective_from == dt.date(2026, 2, 14)


def test_nothing_is_guessed():
    found = detect_metadata(ImportedText("一些没有标题的文字。\n再一段。\n", "html"))
    assert found.missing == ["title", "doc_number", "issuer", "region", "issued", "effective_from", "valid_until"]
