"""A bad manifest entry is named with its problem, and nothing already indexed is lost."""

from __future__ import annotations

import pytest

from ingest.manifest import ManifestError, load_manifest, read_policy_text
from ingest.pipeline import run_ingest
from policy_core.settings import Settings
from tests.support.corpus import TODAY

NEW_ENTRY = """
[[documents]]
id = "{id}"
title = "{title}"
issuer = "武汉市某局"
region = "武汉市"
effective_from = "{start}"
valid_until = "2029-12-31"
file = "{file}"
"""

NEW_TEXT = "{title}\n为支持企业发展，制定本措施。\n一、支持机器人研发。对机器人企业给予最高80万元奖励。（责任单位：市某局）\n"


def add_doc(corpus, *, id="robot-2026", title="武汉市支持机器人发展若干措施", start="2026-01-01", file="robot.txt", text=None, encoding="utf-8"):
    if text is not False:
        (corpus / file).write_bytes((text or NEW_TEXT.format(title=title)).encode(encoding))
    with (corpus / "manifest.toml").open("a", encoding="utf-8") as handle:
        handle.write(NEW_ENTRY.format(id=id, title=title, start=start, file=file))


def test_real_manifest_loads():
    docs = load_manifest(Settings(_env_file=None).corpus_dir)
    assert [d.id for d in docs] == ["hongshan-ai-2025", "wuhan-opc-2026", "wuhan-ai-pilot-zone"]
    assert docs[0].doc_number == "洪政规〔2025〕2号"
    assert str(docs[2].valid_until) == "2023-12-31" and docs[2].effective_from is None


@pytest.mark.parametrize(
    "change, problem",
    [
        (dict(file="missing.txt", text=False), r"\[robot-2026\] file 'missing.txt' not found"),
        (dict(start="2026-13-01"), r"\[robot-2026\] effective_from: .*not a date"),
        (dict(id="hongshan-ai-2025"), r"\[hongshan-ai-2025\] duplicate id"),
        (dict(id="Bad Id!"), r"\[Bad Id!\] id:"),
    ],
)
def test_bad_entries_are_named(corpus_copy, change, problem):
    add_doc(corpus_copy, **change)
    with pytest.raises(ManifestError, match=problem):
        load_manifest(corpus_copy)


def test_undecodable_file_is_named(corpus_copy):
    add_doc(corpus_copy, text=False)
    (corpus_copy / "robot.txt").write_bytes(b"\xff\xfe\x00\xd8\x00\xdc" * 10 + b"\x81")
    with pytest.raises(ManifestError, match=r"\[robot-2026\] .*neither UTF-8 nor GB18030"):
        load_manifest(corpus_copy)


def test_gb18030_text_is_read(corpus_copy):
    add_doc(corpus_copy, encoding="gb18030")
    assert "机器人" in read_policy_text(corpus_copy / "robot.txt")
    assert load_manifest(corpus_copy)[-1].id == "robot-2026"


def test_malformed_manifest_keeps_the_previous_index_answering(corpus_copy, tmp_path):
    from app.advisor import Advisor

    settings = Settings(advisor_home=tmp_path / "home", corpus_dir=corpus_copy, today=TODAY, _env_file=None)
    run_ingest(settings)
    (corpus_copy / "manifest.toml").write_text("[[documents]\nid = ", encoding="utf-8")
    with pytest.raises(ManifestError, match="not valid TOML"):
        run_ingest(settings)
    result = Advisor(settings).ask("洪山区算力补贴最高多少？")
    assert "20 万元" in result.answer and not result.refused


def test_adding_a_document_is_one_file_and_one_entry(corpus_copy, tmp_path):
    from app.advisor import Advisor

    settings = Settings(advisor_home=tmp_path / "home", corpus_dir=corpus_copy, today=TODAY, _env_file=None)
    first = run_ingest(settings)
    add_doc(corpus_copy)
    second = run_ingest(settings)
    assert second.version != first.version
    assert second.embedded < 5 and second.reused == first.chunks  # only the new document is embedded
    result = Advisor(settings).ask("机器人企业有什么奖励？")
    assert result.citations[0].doc_id == "robot-2026"
    assert "80万元" in result.answer
