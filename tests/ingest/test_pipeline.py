"""Ingest is idempotent, atomic, single-writer, and survives kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from filelock import FileLock

from app.advisor import Advisor
from ingest.index_store import EmbedderMismatchError, IndexVersion
from ingest.pipeline import run_ingest
from policy_core.settings import Settings
from tests.support.corpus import TODAY, raise_platform_cap

CLI = [sys.executable, "-m", "app.cli"]


def env_for(home, corpus=None, **extra) -> dict:
    env = {**os.environ, "ADVISOR_HOME": str(home), "TODAY": TODAY.isoformat(), **extra}
    if corpus:
        env["CORPUS_DIR"] = str(corpus)
    return env


def test_reingesting_an_unchanged_corpus_embeds_nothing(tmp_path):
    settings = Settings(advisor_home=tmp_path / "home", today=TODAY, _env_file=None)
    first = run_ingest(settings)
    second = run_ingest(settings)
    assert first.embedded == first.chunks > 40
    assert second.unchanged and second.embedded == 0 and second.version == first.version


def test_changing_a_clause_reembeds_only_that_chunk(corpus_copy, tmp_path):
    settings = Settings(advisor_home=tmp_path / "home", corpus_dir=corpus_copy, today=TODAY, _env_file=None)
    first = run_ingest(settings)
    raise_platform_cap(corpus_copy, 180)
    second = run_ingest(settings)
    assert second.embedded == 1 and second.reused == first.chunks - 1
    assert "180 万元" in Advisor(settings).ask("洪山区创新平台最高支持多少？").answer
    # only the new version is left behind
    assert [p.name for p in (settings.index_dir / "versions").iterdir()] == [second.version]


def test_second_ingest_is_refused_while_one_holds_the_lock(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    with FileLock(str(home / "ingest.lock")):
        proc = subprocess.run(CLI + ["ingest"], env=env_for(home), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "another ingest is running" in proc.stderr
    assert "Traceback" not in proc.stderr


def _big_corpus(corpus, measures: int = 400) -> None:
    body = "\n".join(f"{n}、第{n}项支持措施。对第{n}类机器人企业给予最高{n}万元奖励，支持研发与应用推广。" for n in range(1, measures + 1))
    (corpus / "robots.txt").write_text(f"武汉市支持机器人产业发展若干政策\n{body}\n", encoding="utf-8")
    with (corpus / "manifest.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[documents]]\nid = "robots"\ntitle = "武汉市支持机器人产业发展若干政策"\nfile = "robots.txt"\n')


def test_kill_9_during_ingest_leaves_the_previous_index_answering(corpus_copy, tmp_path):
    home = tmp_path / "home"
    settings = Settings(advisor_home=home, corpus_dir=corpus_copy, today=TODAY, _env_file=None)
    before = run_ingest(settings)
    _big_corpus(corpus_copy)
    proc = subprocess.Popen(CLI + ["ingest"], env=env_for(home, corpus_copy), stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if "embedding" in line:
            break
    time.sleep(1.5)
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    assert IndexVersion.read(settings.index_dir).version == before.version
    result = Advisor(settings).ask("洪山区算力补贴最高多少？")
    assert "20 万元" in result.answer
    # the lock died with the process, and the next run completes and cleans up
    after = run_ingest(settings)
    assert after.version != before.version
    assert [p.name for p in (settings.index_dir / "versions").iterdir()] == [after.version]


def test_querying_with_another_embedder_is_refused(settings, tmp_path):
    other = settings.model_copy(update={"embedder": "sentence-transformers:all-MiniLM-L6-v2"})
    with pytest.raises(EmbedderMismatchError, match="re-ingest"):
        Advisor(other)
    proc = subprocess.run(
        CLI + ["ask", "算力补贴"],
        env=env_for(settings.advisor_home, EMBEDDER="sentence-transformers:all-MiniLM-L6-v2"),
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2 and "re-ingest" in proc.stderr and "Traceback" not in proc.stderr


def test_damaged_index_gives_a_clear_error(tmp_path):
    home = tmp_path / "home"
    run_ingest(Settings(advisor_home=home, _env_file=None))
    (home / "index" / "current.json").write_text("{not json", encoding="utf-8")
    proc = subprocess.run(CLI + ["ask", "算力补贴"], env=env_for(home), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "policy-advisor ingest" in proc.stderr and "Traceback" not in proc.stderr


def test_a_running_advisor_answers_from_the_new_version_after_ingest(corpus_copy, tmp_path):
    from app.retrieval.policy_index import VERSION_CHECK_SECONDS

    settings = Settings(advisor_home=tmp_path / "home", corpus_dir=corpus_copy, today=TODAY, _env_file=None)
    run_ingest(settings)
    advisor = Advisor(settings)
    assert "150 万元" in advisor.ask("洪山区创新平台最高支持多少？").answer
    raise_platform_cap(corpus_copy, 160)
    run_ingest(settings)  # the old version's collection is dropped: the advisor must switch
    time.sleep(VERSION_CHECK_SECONDS + 0.1)
    assert "160 万元" in advisor.ask("洪山区创新平台最高支持多少？").answer
