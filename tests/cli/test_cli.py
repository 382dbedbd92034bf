"""The `policy-advisor` command: readable answers, the JSON contract, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.schemas import AnswerResult
from tests.support.corpus import TODAY

CLI = [sys.executable, "-m", "app.cli"]
CONTRACT_KEYS = {"question", "answer", "mode", "refused", "citations", "latency_ms"}
CITATION_KEYS = {"ref", "doc_id", "doc_title", "doc_number", "clause", "text", "status", "effective_from", "valid_until", "score"}


def run(args, home, stdin=None, **env):
    return subprocess.run(
        CLI + args,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ADVISOR_HOME": str(home), "TODAY": TODAY.isoformat(), "NO_COLOR": "1", **env},
    )


def test_ask_json_is_the_contract(built_home):
    proc = run(["ask", "--json", "OPC每年有多少免费卡时"], built_home)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert CONTRACT_KEYS <= data.keys()
    assert CITATION_KEYS <= data["citations"][0].keys()
    AnswerResult.model_validate(data)
    assert "2000卡时" in data["answer"] and data["mode"] == "extractive" and data["refused"] is False


def test_ask_prints_answer_and_sources(built_home):
    proc = run(["ask", "试验区的创投补助是多少"], built_home)
    assert proc.returncode == 0
    assert "已失效" in proc.stdout and "5、加大创投补助" in proc.stdout and "[1]" in proc.stdout


def test_jsonl_answers_each_line(built_home):
    proc = run(["ask", "--jsonl"], built_home, stdin="算力服务券怎么补\n\n今天天气怎么样\n" + "长" * 600 + "\n")
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 0 and len(lines) == 3
    assert lines[0]["citations"][0]["doc_id"] == "wuhan-opc-2026"
    assert lines[1]["refused"] is True
    assert "问题太长" in lines[2]["error"]


@pytest.mark.parametrize(
    "args, message",
    [(["ask", ""], "问题为空"), (["ask", "   "], "问题为空"), (["ask", "长" * 501], "问题太长"), (["ask"], "问题为空")],
)
def test_bad_questions_exit_2_with_one_line(built_home, args, message):
    proc = run(args, built_home)
    assert proc.returncode == 2
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr


def test_missing_index_exits_2(tmp_path):
    proc = run(["ask", "算力补贴"], tmp_path / "empty-home")
    assert proc.returncode == 2 and "policy-advisor ingest" in proc.stderr and "Traceback" not in proc.stderr


def test_half_configured_llm_is_a_startup_error(built_home):
    proc = run(["ask", "算力补贴"], built_home, LLM_BASE_URL="http://127.0.0.1:9/v1")
    assert proc.returncode == 2 and "LLM_MODEL" in proc.stderr and "Traceback" not in proc.stderr


def test_ingest_reports_up_to_date(built_home):
    proc = run(["ingest"], built_home)
    assert proc.returncode == 0 and "up to date" in proc.stdout


def test_config_markdown_lists_every_setting():
    from policy_core.settings import Settings

    proc = subprocess.run(CLI + ["config", "--markdown"], capture_output=True, text=True, timeout=60)
    for name in Settings.model_fields:
        assert f"`{name.upper()}`" in proc.stdout


def test_readme_configuration_table_matches_the_settings():
    from policy_core.settings import PROJECT_ROOT

    proc = subprocess.run(CLI + ["config", "--markdown"], capture_output=True, text=True, timeout=60)
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- config-table:start -->")[1].split("<!-- config-table:end -->")[0].strip()
    assert table == proc.stdout.strip(), "regenerate the README table with `policy-advisor config --markdown`"
