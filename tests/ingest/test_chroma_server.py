"""The Chroma-server path against a real `chroma run`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.advisor import Advisor
from ingest.index_store import ChromaUnavailableError
from ingest.pipeline import run_ingest
from policy_core.settings import Settings
from tests.support.corpus import TODAY
from tests.support.servers import free_port


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    import chromadb

    deadline = time.time() + 60
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            break
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("chroma run did not start")
            time.sleep(0.3)
    yield port, proc
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_answer_through_a_chroma_server(chroma_server, tmp_path):
    port, proc = chroma_server
    settings = Settings(advisor_home=tmp_path / "home", chroma_host="127.0.0.1", chroma_port=port, today=TODAY, _env_file=None)
    report = run_ingest(settings)
    assert not (settings.advisor_home / "chroma").exists()  # nothing embedded on local disk

    import chromadb

    names = [c if isinstance(c, str) else c.name for c in chromadb.HttpClient(host="127.0.0.1", port=port).list_collections()]
    assert sorted(names) == sorted(["policy_current", f"policies_{report.version}", f"policyfiles_{report.version}"])
    result = Advisor(settings).ask("洪山区生成式人工智能模型备案能拿多少？")
    assert result.citations[0].clause == "六、增强模型创新能力"
    assert "100 万元" in result.answer

    # another machine, its data home empty: everything comes from the server
    replica = settings.model_copy(update={"advisor_home": tmp_path / "replica-home"})
    replica_result = Advisor(replica).ask("洪山区生成式人工智能模型备案能拿多少？")
    assert replica_result.answer == result.answer
    assert (replica.index_dir / "versions" / report.version / "bm25").is_dir()
    assert run_ingest(replica).unchanged  # the server already holds this version: nothing embedded

    proc.terminate()
    proc.wait(timeout=20)
    with pytest.raises(ChromaUnavailableError, match=f"Chroma server at 127.0.0.1:{port}"):
        Advisor(settings)
