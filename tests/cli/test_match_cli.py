"""`policy-advisor match`: flags for who, where and the figures; JSON as /api/match, or a readable list per policy."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from app.api.schemas import MatchResponse
from tests.conftest import TODAY

CLI = [sys.executable, "-m", "app.cli", "match"]


def run(args, home, **env):
    return subprocess.run(
        CLI + args, capture_output=True, text=True, timeout=180,
        env={**os.environ, "ADVISOR_HOME": str(home), "TODAY": TODAY.isoformat(), "NO_COLOR": "1", "COLUMNS": "120", **env},
    )


def test_json_is_the_api_response_with_amounts_from_the_flags(built_home):
    proc = run(["-i", "OPC", "-i", "中小企业", "-d", "洪山区", "--spend", "算力=600,000元", "--count", "模型备案=3",
                "--level", "首版次软件=国家级", "--previous-level", "首版次软件=省级", "--json"], built_home)
    assert proc.returncode == 0, proc.stderr
    result = MatchResponse.model_validate_json(proc.stdout)
    calculations = {(i.provision.doc_id, i.provision.purpose, i.provision.form): i.calculation for i in result.items() if i.calculation}
    assert calculations[("hongshan-ai-2025", "算力服务", "补贴")].formula == "60万元 × 20% = 12万元"
    assert calculations[("wuhan-opc-2026", "算力服务", "券")].conclusion == "最多可获20万元"
    assert calculations[("hongshan-ai-2025", "模型备案", "资金支持")].result_wan == 200  # 3 × 100, the yearly cap 200
    assert calculations[("hongshan-ai-2025", "首版次软件", "奖励")].result_wan == 30  # 50 − 20 on promotion
    assert json.loads(proc.stdout)["today"] == TODAY.isoformat()


def test_readable_output_is_grouped_by_policy_with_verdicts_and_workings(built_home):
    proc = run(["-i", "OPC", "--spend", "算力服务=40", "--only-these"], built_home)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    headings = [line for line in lines if line.startswith("《")]
    assert headings[0].startswith("《武汉市支持人工智能OPC创新发展若干措施》 现行有效")  # what surely applies comes first
    assert any("算力服务券 适用" in line for line in lines)
    assert any("40万元 × 50% = 20万元 → 最多可获20万元" in line for line in lines)
    assert any("需确认：对象为“中小企业”、注册在洪山区" in line for line in lines)
    assert "已失效" not in proc.stdout


def test_bad_flags_are_one_line_errors(built_home):
    for args, words in (
        (["-i", "外星人"], "identities.0"),
        (["-i", "OPC", "--spend", "吃饭=3"], "unknown purpose '吃饭'"),
        (["-i", "OPC", "--spend", "算力"], "PURPOSE=VALUE"),
        (["-i", "OPC", "--spend", "算力=很多"], "is not an amount"),
    ):
        proc = run(args, built_home)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, args
        assert proc.stderr.count("\n") == 1 and words in proc.stderr, proc.stderr
