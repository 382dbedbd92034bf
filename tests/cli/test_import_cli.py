"""`policy-advisor import`: review output, dry run, refusal to overwrite, clause diff, bad input."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

from tests.support.corpus import TODAY
from tests.support.published_files import DOCX_TITLE, make_docx, make_pdf

CLI = [sys.executable, "-m", "app.cli", "import"]


def run(args, corpus, home):
    return subprocess.run(CLI + args, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CORPUS_DIR": str(corpus), "ADVISOR_HOME": str(home), "TODAY": TODAY.isoformat(),
                               "NO_COLOR": "1", "COLUMNS": "200"})


def manifest(corpus):
    return tomllib.loads((corpus / "manifest.toml").read_text(encoding="utf-8"))["documents"]


def test_dry_run_prints_text_and_entry_and_writes_nothing(corpus_copy, tmp_path):
    before = (corpus_copy / "manifest.toml").read_bytes()
    proc = run([str(make_docx(tmp_path / "robots.docx")), "--id", "wuhan-robots-2026", "--dry-run"], corpus_copy, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "级别：国家级，奖励：80万元，说明：一次性奖励。" in proc.stdout
    assert 'doc_number = "武经信规〔2026〕3号"' in proc.stdout and 'valid_until = "2028-04-30"' in proc.stdout
    assert "二、奖励首台（套）产品" in proc.stdout  # the clauses it found
    assert (corpus_copy / "manifest.toml").read_bytes() == before and not (corpus_copy / "wuhan-robots-2026.txt").exists()


def test_import_writes_then_refuses_to_overwrite_and_shows_the_clause_diff(corpus_copy, tmp_path):
    source = make_docx(tmp_path / "robots.docx")
    first = run([str(source), "--id", "wuhan-robots-2026", "--supersedes", "wuhan-ai-pilot-zone"], corpus_copy, tmp_path)
    assert first.returncode == 0, first.stderr
    entry = manifest(corpus_copy)[-1]
    assert entry["title"] == DOCX_TITLE and entry["issued"] == "2026-04-20" and entry["supersedes"] == "wuhan-ai-pilot-zone"
    assert entry["keywords"] == [] and "not found" not in first.stdout
    written = (corpus_copy / "wuhan-robots-2026.txt").read_text(encoding="utf-8")

    import docx

    newer = docx.Document(str(source))
    for paragraph in newer.paragraphs:
        if paragraph.text.startswith("四、加强人才引育"):
            paragraph.text = "四、加强人才引育。对机器人企业引进的高层次人才，每人给予20万元安家补贴。（责任单位：市人才工作局）"
        if paragraph.text.startswith("（二）场景对接"):
            paragraph.text = "五、支持标准制定。对主导制定国际标准的企业给予100万元奖励。"
    newer.save(str(tmp_path / "robots-v2.docx"))

    again = run([str(tmp_path / "robots-v2.docx"), "--id", "wuhan-robots-2026"], corpus_copy, tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr
    assert "~ 四、加强人才引育" in again.stdout and "- 三（二）场景对接" in again.stdout and "+ 五、支持标准制定" in again.stdout
    assert (corpus_copy / "wuhan-robots-2026.txt").read_text(encoding="utf-8") == written

    forced = run([str(tmp_path / "robots-v2.docx"), "--id", "wuhan-robots-2026", "--force"], corpus_copy, tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "每人给予20万元安家补贴" in (corpus_copy / "wuhan-robots-2026.txt").read_text(encoding="utf-8")
    assert [d["id"] for d in manifest(corpus_copy)].count("wuhan-robots-2026") == 1


def test_bad_input_is_one_line_exit_2_and_nothing_written(corpus_copy, tmp_path):
    before = sorted(p.name for p in corpus_copy.iterdir()), (corpus_copy / "manifest.toml").read_bytes()
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    pdf = make_pdf(tmp_path / "cars.pdf")
    cases = [
        ([str(tmp_path / "broken.pdf"), "--id", "broken"], "not a readable PDF"),
        ([str(tmp_path / "notes.txt"), "--id", "notes"], "unsupported file type"),
        ([str(pdf), "--id", "Bad_Id"], "--id"),
        ([str(pdf), "--id", "cars", "--supersedes", "no-such-policy"], "no such id"),
    ]
    for args, message in cases:
        proc = run(args, corpus_copy, tmp_path)
        assert proc.returncode == 2 and message in proc.stderr, (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert (sorted(p.name for p in corpus_copy.iterdir()), (corpus_copy / "manifest.toml").read_bytes()) == before
