"""The gate's margins tolerate a CPU's rounding, not a regression: the committed thresholds still
fail an evaluation whose retriever was broken on purpose (sentence re-ranking switched off).

Runs the whole golden set twice (about 15 s each): with the shipped settings the gate passes,
with `SENTENCE_WEIGHT=0` it names the rank metrics that fell.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.corpus import TODAY

pytestmark = pytest.mark.slow


def gate(home: Path, out: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "eval", "--check", "--no-retrievers", "--no-progress", "--output", str(out), "--name", "gate"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "ADVISOR_HOME": str(home), "TODAY": TODAY.isoformat(), "NO_COLOR": "1", **env},
    )


def test_committed_gate_passes_the_shipped_retriever(built_home, tmp_path):
    proc = gate(built_home, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "gate passed" in proc.stdout


def test_committed_gate_fails_a_retriever_broken_on_purpose(built_home, tmp_path):
    proc = gate(built_home, tmp_path, SENTENCE_WEIGHT="0")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "gate: hit_at_1" in proc.stderr
    assert "gate: mrr" in proc.stderr
