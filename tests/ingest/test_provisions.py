"""Reviewed provisions: checked against their clauses by ingest, persisted with the index version."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ingest.index_store import IndexVersion, version_dir
from ingest.pipeline import prepare_corpus, run_ingest
from ingest.provision_check import check_provisions, money_values, rate_values, year_values
from ingest.provisions import ProvisionError, load_corpus_provisions, read_index_provisions
from ingest.records import PolicyDoc
from policy_core.settings import Settings
from tests.conftest import CORPUS, TODAY

COMPUTE = "对购买算力服务的中小企业，按照购买算力服务费用给予最高不超过 20% 的补贴，每家每年最高不超过 20 万元，补助期限不超过三年。"


@pytest.fixture(scope="module")
def corpus_docs() -> list[PolicyDoc]:
    docs, _ = prepare_corpus(Settings(_env_file=None))
    return docs


def test_the_reviewed_provisions_of_all_three_documents_pass_the_check(corpus_docs):
    provisions = load_corpus_provisions(CORPUS)
    assert {p.doc_id for p in provisions} == {"hongshan-ai-2025", "wuhan-opc-2026", "wuhan-ai-pilot-zone"}
    assert check_provisions(provisions, corpus_docs) == []


def test_ingest_persists_the_checked_provisions_with_the_index_version(settings):
    current = IndexVersion.read(settings.index_dir)
    stored = read_index_provisions(version_dir(settings.index_dir, current.version))
    assert stored == load_corpus_provisions(CORPUS)
    filing = next(p for p in stored if p.purpose == "模型备案")
    assert (filing.amount_wan, filing.per_unit, filing.cap_per_year_wan) == (100, "每个模型", 200)


def test_the_index_snapshot_carries_the_provisions_of_its_version(advisor):
    snapshot = advisor.index.snapshot()
    assert snapshot.provisions == load_corpus_provisions(CORPUS)
    assert {p.doc_id for p in snapshot.provisions} <= set(snapshot.docs)


def test_a_damaged_provisions_file_is_an_index_error_that_says_to_reingest(tmp_path):
    from ingest.index_store import IndexBrokenError
    from ingest.provisions import PROVISIONS_FILE

    (tmp_path / PROVISIONS_FILE).write_text('[{"doc_id": "x"}]', encoding="utf-8")
    with pytest.raises(IndexBrokenError, match="policy-advisor ingest"):
        read_index_provisions(tmp_path)


def test_amounts_compare_as_values_whatever_their_spelling():
    assert money_values("最高 100 万元，或者 20万，或者 2000元，共 2亿元，100—500万元") == [100, 20, 0.2, 20000, 100, 500]
    assert rate_values("费用的50%，5‰，按省拨付资金1：1") == [50, 0.5, 100]
    assert year_values("补助期限不超过三年，最长2年") == [3, 2]


def _compute_provision(corpus_docs, **change):
    provision = next(p for p in load_corpus_provisions(CORPUS) if p.sentence == COMPUTE)
    return check_provisions([provision.model_copy(update=change)], corpus_docs)


def test_a_number_not_in_its_sentence_is_named_with_document_clause_and_field(corpus_docs):
    assert _compute_provision(corpus_docs, cap_wan=25) == [
        "[hongshan-ai-2025] 五、强化算力普惠供给 (provision #1) cap_wan: 25万元 does not occur in the sentence (amounts there: 20万元)"
    ]
    assert "rate_percent: 30% does not occur" in _compute_provision(corpus_docs, rate_percent=30)[0]
    assert "duration_years: 4年 does not occur" in _compute_provision(corpus_docs, duration_years=4)[0]


def test_a_sentence_not_in_its_clause_fails(corpus_docs):
    problems = _compute_provision(corpus_docs, sentence=COMPUTE.replace("三年", "五年"))
    assert problems[0] == "[hongshan-ai-2025] 五、强化算力普惠供给 (provision #1) sentence: does not occur in the clause text"
    moved = _compute_provision(corpus_docs, clause="六、增强模型创新能力")
    assert moved == ["[hongshan-ai-2025] 六、增强模型创新能力 (provision #1) sentence: does not occur in the clause text"]


def test_a_quoted_word_or_unit_not_in_the_text_fails(corpus_docs):
    assert "per_unit: '每个模型' does not occur in the sentence" in _compute_provision(corpus_docs, per_unit="每个模型")[0]
    assert "units[0]: '市数据局' does not occur in the clause" in _compute_provision(corpus_docs, units=["市数据局"])[0]


def test_an_unknown_purpose_is_refused_when_the_file_is_read(corpus_copy):
    path = corpus_copy / "provisions" / "hongshan-ai-2025.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('purpose = "算力服务"', 'purpose = "算力"'), encoding="utf-8")
    with pytest.raises(ProvisionError, match=r"\[hongshan-ai-2025\] 五、强化算力普惠供给 \(provision #9\) purpose: .*unknown purpose '算力'"):
        load_corpus_provisions(corpus_copy)


def test_a_wrong_provision_stops_ingest_with_one_line_and_the_previous_index_keeps_answering(corpus_copy, tmp_path):
    from app.advisor import Advisor

    settings = Settings(advisor_home=tmp_path / "home", corpus_dir=corpus_copy, today=TODAY, _env_file=None)
    before = run_ingest(settings)
    path = corpus_copy / "provisions" / "hongshan-ai-2025.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("cap_wan = 20\ncap_per_year_wan = 20", "cap_wan = 25\ncap_per_year_wan = 20"), encoding="utf-8")
    env = {"ADVISOR_HOME": str(settings.advisor_home), "CORPUS_DIR": str(corpus_copy), "TODAY": TODAY.isoformat()}
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest"], env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    error = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(error) == 1
    assert "[hongshan-ai-2025] 五、强化算力普惠供给" in error[0] and "cap_wan: 25万元 does not occur in the sentence" in error[0]
    assert IndexVersion.read(settings.index_dir).version == before.version
    result = Advisor(settings).ask("洪山区算力补贴最高多少？")
    assert "20 万元" in result.answer and not result.refused
