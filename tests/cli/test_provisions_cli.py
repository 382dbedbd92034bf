"""`policy-advisor provisions`: the reviewed provisions as JSON or a table per document, with status."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import TODAY

CLI = [sys.executable, "-m", "app.cli", "provisions"]
REQUIRED = {
    "doc_id", "clause", "sentence", "beneficiaries", "purpose", "form", "rate_percent", "cap_wan",
    "amount_wan", "per_unit", "duration_years", "units", "status",
}


def run(args, today=TODAY.isoformat(), **env):
    return subprocess.run(
        CLI + args, capture_output=True, text=True, timeout=120,
        env={**os.environ, "TODAY": today, "NO_COLOR": "1", "COLUMNS": "160", **env},
    )


def test_json_lists_every_provision_with_its_policy_status(tmp_path):
    proc = run(["--json"], ADVISOR_HOME=str(tmp_path))  # no index needed: read from the corpus
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert all(REQUIRED <= row.keys() for row in rows)
    by_doc = {doc: [r for r in rows if r["doc_id"] == doc] for doc in {r["doc_id"] for r in rows}}
    assert {doc: {r["status"] for r in mine} for doc, mine in by_doc.items()} == {
        "hongshan-ai-2025": {"in_force"}, "wuhan-opc-2026": {"in_force"}, "wuhan-ai-pilot-zone": {"expired"},
    }
    compute = next(r for r in by_doc["wuhan-opc-2026"] if r["purpose"] == "算力服务" and r["rate_percent"])
    assert (compute["rate_percent"], compute["cap_wan"], compute["duration_years"], compute["amount_wan"]) == (50, 20, 3, None)
    assert compute["units"] == ["市数据局", "市经信局"] and compute["beneficiaries"] == ["OPC"]


def test_a_policy_before_its_start_date_is_not_yet_effective(tmp_path):
    rows = json.loads(run(["--json"], today="2026-01-10", ADVISOR_HOME=str(tmp_path)).stdout)
    assert {r["status"] for r in rows if r["doc_id"] == "wuhan-opc-2026"} == {"not_yet_effective"}


def test_the_table_shows_each_document_and_its_amount_rules(tmp_path):
    proc = run([], ADVISOR_HOME=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "《洪山区支持人工智能产业高质量发展若干措施》 现行有效 · 16 项" in proc.stdout
    assert "已失效" in proc.stdout and "国家级50万元、省级20万元，逐级认定" in proc.stdout


def test_a_wrong_provision_is_one_line_error(corpus_copy, tmp_path):
    path = corpus_copy / "provisions" / "wuhan-opc-2026.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("rate_percent = 30\nbase = \"研发成本\"", "rate_percent = 35\nbase = \"研发成本\""), encoding="utf-8")
    proc = run(["--json"], CORPUS_DIR=str(corpus_copy), ADVISOR_HOME=str(tmp_path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: provision problem: [wuhan-opc-2026] 三、支持模型工具研发应用")
    assert "rate_percent: 35% does not occur in the sentence" in proc.stderr
