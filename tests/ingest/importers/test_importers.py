"""Each format's real file becomes the plain corpus form; bad files are one clear refusal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.importers import ImportRefused, import_document
from ingest.importers.scanned_pdf import ocr_available
from tests.support.published_files import DOCX_TITLE, HTML_TITLE, PDF_RUNNING_HEADER, make_docx, make_html, make_pdf

LIMIT = 20_000_000


def lines_of(path: Path) -> list[str]:
    return import_document(path, LIMIT).text.splitlines()


def test_docx_keeps_order_numbering_table_rows_and_units(tmp_path):
    lines = lines_of(make_docx(tmp_path / "robots.docx"))
    start = lines.index(DOCX_TITLE)
    assert lines[start + 2].startswith("一、支持整机研发。") and lines[start + 3] == "（责任单位：市经信局）"
    table = lines.index("级别：国家级，奖励：80万元，说明：一次性奖励。")
    assert lines[table - 1].endswith("按下表给予研制企业奖励：")
    assert lines[table + 2] == "级别：市级，奖励：15万元，说明：逐级认定的给予差额奖励。"
    assert "三、开放应用场景" in lines and any(line.startswith("（一）示范场景。") for line in lines)
    assert "— 1 —" not in lines  # the page footer is not body text
    assert lines[lines.index("---") + 1].startswith("抄送：")


def test_pdf_drops_page_furniture_and_rejoins_the_page_break(tmp_path):
    imported = import_document(make_pdf(tmp_path / "cars.pdf"), LIMIT)
    text = imported.text
    assert PDF_RUNNING_HEADER not in text and not re.search(r"—\s*\d\s*—", text)
    measure = next(line for line in text.splitlines() if line.startswith("二、支持车路协同建设"))
    assert "单个项目最高给予500万元支持" in measure and measure.endswith("另行通知。")
    assert "牌照等级：L4级，奖励金额：60万元。\n牌照等级：L3级，奖励金额：30万元。\n（责任单位：区经科局）" in text
    assert imported.notes == ("dropped 4 page header/footer/number lines",)


def test_html_keeps_the_article_only_as_plain_text(tmp_path):
    imported = import_document(make_html(tmp_path / "teams.html"), LIMIT)
    text = imported.text
    assert imported.title_hint == HTML_TITLE and imported.hints["written"] == "2026年3月2日"
    for noise in ("首页", "当前位置", "相关文件", "分享到", "微博", "版权所有", "统计代码", "alert", "相关链接", "OPC"):
        assert noise not in text, noise
    assert not re.search(r"[<>]|https?:|evil", text)
    assert "带头人具有人工智能领域正高级职称或者同等水平" in text  # a link's words stay, its target does not
    assert "团队类别：B类团队，奖励金额：100万元，兑现方式：分两年拨付。" in text.splitlines()
    assert text.splitlines()[-1] == "本办法自2026年4月1日起施行，有效期3年。"


def _refusal(path: Path, limit: int = LIMIT) -> str:
    with pytest.raises(ImportRefused) as caught:
        import_document(path, limit)
    message = str(caught.value)
    assert "\n" not in message and path.name in message
    return message


def test_bad_files_are_refused_with_one_line(tmp_path):
    assert "unsupported file type .doc" in _refusal(tmp_path / "old.doc")
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert "empty" in _refusal(tmp_path / "empty.pdf")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage \x00\x01 not a pdf")
    assert "not a readable PDF" in _refusal(tmp_path / "broken.pdf")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    assert "not a readable .docx" in _refusal(tmp_path / "broken.docx")
    (tmp_path / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert "password-protected" in _refusal(tmp_path / "locked.docx")
    big = make_pdf(tmp_path / "big.pdf")
    assert "over the import limit" in _refusal(big, limit=1000)


def test_an_encrypted_pdf_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(tmp_path / "locked.pdf"), encrypt="secret")
    pdf.drawString(72, 720, "confidential")
    pdf.save()
    assert "encrypted" in _refusal(tmp_path / "locked.pdf")


def test_a_page_without_an_article_is_refused(tmp_path):
    page = tmp_path / "nav.html"
    page.write_text('<html><body><ul class="nav"><li><a href="/">首页</a></li></ul><div>欢迎访问</div>'
                    "<script>document.write('很多很多很多的脚本文字很多很多很多的脚本文字很多很多很多的脚本文字')</script></body></html>",
                    encoding="utf-8")
    assert "no main text" in _refusal(page)


def _scanned_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF whose pages are only a picture of text (no text layer), as a scanner makes."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 40)
    for i, line in enumerate(lines):
        draw.text((100, 150 + i * 80), line, fill="black", font=font)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawImage(ImageReader(image), 0, 0, *A4)
    pdf.save()
    return path


SCAN_LINES = ["武汉市扫描测试若干措施", "一、支持算力。给予最高20万元补贴。", "（责任单位：市数据局）"]


@pytest.mark.skipif(ocr_available(), reason="the OCR extra is installed: the scan is read instead")
def test_a_scanned_pdf_is_reported_without_the_ocr_extra(tmp_path):
    message = _refusal(_scanned_pdf(tmp_path / "scan.pdf", SCAN_LINES))
    assert "no text layer" in message and '.[ocr]' in message


@pytest.mark.skipif(not ocr_available(), reason="needs the OCR extra: pip install -e '.[ocr]'")
@pytest.mark.skipif(not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists(), reason="needs fonts-noto-cjk")
def test_a_scanned_pdf_is_read_by_ocr(tmp_path):
    imported = import_document(_scanned_pdf(tmp_path / "scan.pdf", SCAN_LINES), LIMIT)
    assert imported.text.splitlines()[:3] == SCAN_LINES
    assert "OCR" in imported.notes[0]
