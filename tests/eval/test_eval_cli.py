"""`policy-advisor eval` end to end on a small subset of the golden set: report, gate, compare, calibrate, errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from eval.golden_set import GOLDEN_PATH
from tests.support.corpus import TODAY

CLI = [sys.executable, "-m", "app.cli", "eval"]
LENIENT = "[min]\nhit_at_5 = 0.0\n\n[max]\nlatency_p95_ms = 1e9\n"


def run(args: list[str], home: Path, *, module: list[str] = CLI, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        module + args,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "ADVISOR_HOME": str(home), "TODAY": TODAY.isoformat(), "NO_COLOR": "1", **env},
    )


def golden_subset(folder: Path, per_kind: int) -> Path:
    """The first `per_kind` golden rows of every kind, as written in eval/golden.jsonl."""
    rows: dict[str, list[str]] = defaultdict(list)
    for line in GOLDEN_PATH.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows[json.loads(line)["kind"]].append(line)
    path = folder / f"subset-{per_kind}.jsonl"
    path.write_text("\n".join(line for lines in rows.values() for line in lines[:per_kind]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def subset(tmp_path_factory) -> Path:
    return golden_subset(tmp_path_factory.mktemp("golden"), 2)


@pytest.fixture(scope="module")
def small_subset(tmp_path_factory) -> Path:
    return golden_subset(tmp_path_factory.mktemp("golden"), 1)


@pytest.fixture(scope="module")
def first_run(built_home, subset, tmp_path_factory):
    """The subset through the whole evaluation, with the gate on, via `python -m eval`."""
    out = tmp_path_factory.mktemp("reports")
    thresholds = out / "lenient.toml"
    thresholds.write_text(LENIENT, encoding="utf-8")
    args = ["--check", "--golden", str(subset), "--thresholds", str(thresholds), "--output", str(out), "--name", "a", "--no-progress"]
    proc = run(args, built_home, module=[sys.executable, "-m", "eval"])
    return proc, out


def test_run_writes_the_report_and_passes_the_gate(first_run, subset):
    proc, out = first_run
    assert proc.returncode == 0, proc.stderr
    assert "gate passed" in proc.stdout and "Traceback" not in proc.stderr
    data = json.loads((out / "a.json").read_text(encoding="utf-8"))
    ids = [json.loads(line)["id"] for line in subset.read_text(encoding="utf-8").splitlines()]
    assert [row["row"]["id"] for row in data["rows"]] == ids
    assert set(data["retrievers"]) == {"hybrid", "bm25", "dense", "langchain"}
    assert 0 <= data["metrics"]["hit_at_5"] <= 1 and data["metrics"]["latency_p95_ms"] > 0
    page = (out / "a.md").read_text(encoding="utf-8")
    for heading in ("## Headline", "## Per kind", "## Retrievers side by side", "## Failing questions"):
        assert heading in page
    assert data["provision_coverage"]["uncovered"] == [] and data["provision_coverage"]["provisions"] >= 70
    assert "Provisions coverage: " in page and "without one: none." in page
    for row in data["rows"]:
        if not row["passed"]:
            assert f"**{row['row']['id']}**" in page  # every failing question is listed with its expectation
    assert (out / "a.png").read_bytes()[:4] == b"\x89PNG"


def test_gate_fails_naming_each_metric_outside_its_threshold(built_home, small_subset, tmp_path):
    strict = tmp_path / "strict.toml"
    strict.write_text("[min]\npass_rate = 1.01\n\n[max]\nlatency_p95_ms = 0.001\n", encoding="utf-8")
    proc = run(["--check", "--golden", str(small_subset), "--thresholds", str(strict), "--output", str(tmp_path), "--no-retrievers", "--no-progress"], built_home)
    assert proc.returncode == 1
    assert "gate: pass_rate" in proc.stderr and "gate: latency_p95_ms" in proc.stderr
    assert "2 metric(s) outside" in proc.stderr and "Traceback" not in proc.stderr


def test_compare_lists_questions_a_change_broke_and_fixed(first_run, built_home, subset):
    _, out = first_run
    # A refusal threshold no clause can reach makes the advisor refuse everything: a real regression.
    proc = run(["--golden", str(subset), "--output", str(out), "--name", "b", "--no-retrievers", "--no-progress"], built_home, REFUSAL_THRESHOLD="0.99")
    assert proc.returncode == 0, proc.stderr
    before = {row["row"]["id"]: row["passed"] for row in json.loads((out / "a.json").read_text(encoding="utf-8"))["rows"]}
    after = {row["row"]["id"]: row["passed"] for row in json.loads((out / "b.json").read_text(encoding="utf-8"))["rows"]}
    broken = sorted(i for i in before if before[i] and not after[i])
    assert broken, "refusing everything should break some in-scope question"

    forward = run(["--compare", str(out / "a.json"), str(out / "b.json")], built_home)
    assert forward.returncode == 0, forward.stderr
    section = forward.stdout.split("broken:")[1].split("still failing")[0]
    assert sorted(re.findall(r"^\s+(\S+) \(", section, re.MULTILINE)) == broken
    backward = run(["--compare", str(out / "b.json"), str(out / "a.json")], built_home)
    section = backward.stdout.split("fixed:")[1].split("broken:")[0]
    assert sorted(re.findall(r"^\s+(\S+) \(", section, re.MULTILINE)) == broken
    assert "refusal accuracy" in forward.stdout  # the metric deltas come first


def test_calibrate_recommends_a_refusal_threshold(built_home, small_subset):
    proc = run(["--calibrate", "--golden", str(small_subset)], built_home)
    assert proc.returncode == 0, proc.stderr
    assert "in-scope" in proc.stdout and "out-of-scope" in proc.stdout
    threshold = float(re.search(r"REFUSAL_THRESHOLD=([0-9.]+)", proc.stdout).group(1))
    assert 0.0 < threshold < 1.0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--mode", "llm"], "--mode llm needs an LLM endpoint: set LLM_BASE_URL and LLM_MODEL"),
        (["--mode", "gpt"], "unknown --mode 'gpt'"),
        (["--split", "dev"], "unknown --split 'dev': use tune, test or all"),
        (["--compare", "missing-a.json", "missing-b.json"], "cannot read missing-a.json"),
        (["--golden", "{bad}"], "line 1"),
    ],
)
def test_bad_use_is_one_line_and_exit_2(built_home, tmp_path, args, message):
    if "{bad}" in args:
        bad = tmp_path / "bad.jsonl"
        bad.write_text('{"id": "x", "kind": "measure", "question": "算力补贴", "expect_refusal": false, "expect_expired": false}\n', encoding="utf-8")
        args = [str(bad) if a == "{bad}" else a for a in args]
    proc = subprocess.run(
        CLI + args, capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "ADVISOR_HOME": str(built_home), "NO_COLOR": "1"},
    )
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_llm_mode_runs_the_set_against_the_configured_endpoint(built_home, tmp_path):
    from tests.llm.fake_openai_server import FakeOpenAI, Reply

    rows = [json.loads(line) for line in GOLDEN_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    answerable = next(r for r in rows if r["kind"] == "measure" and r["evidence"][0]["clause"] == "五、强化算力普惠供给")
    refusal = next(r for r in rows if r["kind"] == "out_of_scope")
    golden = tmp_path / "two.jsonl"
    golden.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (answerable, refusal)) + "\n", encoding="utf-8")
    reply = "可以。" + "；".join(f"{fact} [1]" for fact in answerable["facts"]) + "。"
    with FakeOpenAI() as server:
        server.script(Reply(reply))
        proc = run(
            ["--mode", "llm", "--golden", str(golden), "--output", str(tmp_path), "--name", "llm", "--no-retrievers", "--no-progress"],
            built_home,
            LLM_BASE_URL=server.base_url,
            LLM_MODEL="fake-policy-model",
            LLM_API_KEY="sk-test",
            LLM_COOLDOWN_SECONDS="0",
        )
        requests = len(server.answer_requests)
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "llm.json").read_text(encoding="utf-8"))
    assert data["meta"]["mode"] == "llm" and data["meta"]["llm_model"] == "fake-policy-model"
    first, second = data["rows"]
    assert first["mode"] == "llm" and first["answer"] == reply and not first["refused"]
    assert second["refused"] and requests == 1  # a refusal never reaches the LLM
