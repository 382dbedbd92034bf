"""Import → ingest → ask: each format's clauses answer with the right amount, a table row keeps its numbers."""

from __future__ import annotations

import pytest

from ingest.document_import import plan_import, write_import
from ingest.manifest import ManifestError, load_manifest
from ingest.pipeline import run_ingest
from policy_core.settings import Settings
from tests.support.corpus import TODAY
from tests.support.published_files import make_docx, make_html, make_pdf


@pytest.fixture(scope="module")
def imported_advisor(tmp_path_factory):
    import shutil

    from app.advisor import Advisor
    from tests.support.corpus import CORPUS

    root = tmp_path_factory.mktemp("imported")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(corpus_dir=corpus, advisor_home=root / "home", today=TODAY, _env_file=None)
    for make, doc_id, name in ((make_docx, "wuhan-robots-2026", "robots.docx"), (make_pdf, "hongshan-cars-2026", "cars.pdf"),
                               (make_html, "wuhan-ai-teams-2026", "teams.html")):
        write_import(plan_import(make(root / name), doc_id, settings), settings)
    run_ingest(settings)
    return Advisor(settings)


def cited(result, doc_id):
    return [c.clause for c in result.citations if c.doc_id == doc_id]


@pytest.mark.parametrize(
    "question, doc_id, clause, amount",
    [
        ("具身智能机器人整机研发补贴多少", "wuhan-robots-2026", "一、支持整机研发", "300万元"),
        ("机器人产品入选国家级首台套奖励多少", "wuhan-robots-2026", "二、奖励首台（套）产品", "80万元"),
        ("智能网联汽车车路协同项目最高支持多少", "hongshan-cars-2026", "二、支持车路协同建设", "500万元"),
        ("智能网联汽车L4级测试牌照奖励多少", "hongshan-cars-2026", "三、奖励测试牌照", "60万元"),
        ("人工智能创新团队B类团队奖励多少", "wuhan-ai-teams-2026", "二、奖励标准", "100万元"),
    ],
)
def test_imported_clauses_answer(imported_advisor, question, doc_id, clause, amount):
    result = imported_advisor.ask(question)
    assert not result.refused, result.answer
    assert clause in cited(result, doc_id), [(c.doc_id, c.clause) for c in result.citations]
    assert amount in result.answer


def test_a_table_row_keeps_its_numbers_together(imported_advisor):
    result = imported_advisor.ask("机器人首台套国家级奖励多少")
    citation = next(c for c in result.citations if c.doc_id == "wuhan-robots-2026")
    assert "级别：国家级，奖励：80万元，说明：一次性奖励。" in citation.text
    assert "80万元" in result.answer and "40万元" not in result.answer.split("80万元")[0]
    assert citation.units == ["市经信局", "市财政局"]


def test_supersedes_is_checked(corpus_copy):
    manifest = corpus_copy / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('id = "wuhan-opc-2026"', 'id = "wuhan-opc-2026"\nsupersedes = "wuhan-ai-pilot-zone"'), encoding="utf-8")
    docs = {doc.id: doc for doc in load_manifest(corpus_copy)}
    assert docs["wuhan-opc-2026"].supersedes == "wuhan-ai-pilot-zone" and docs["hongshan-ai-2025"].supersedes == ""
    broken = text.replace('id = "wuhan-opc-2026"', 'id = "wuhan-opc-2026"\nsupersedes = "gone"')
    broken = broken.replace('id = "hongshan-ai-2025"', 'id = "hongshan-ai-2025"\nsupersedes = "hongshan-ai-2025"')
    manifest.write_text(broken, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_manifest(corpus_copy)
    assert "[wuhan-opc-2026] supersedes 'gone', which is not in the manifest" in str(caught.value)
    assert "[hongshan-ai-2025] supersedes itself" in str(caught.value)
