"""PDF (text layer) → plain text: paragraphs rejoined, tables as rows, page furniture dropped.

pdfplumber gives each text line with its position and finds ruled tables; from those:
- lines in the top or bottom band of a page that are page numbers ("— 3 —", "第3页",
  "3/8") or that repeat on several pages (a running header or footer) are dropped;
- a table becomes one line per row (`ingest.table_rows`), placed where it stands;
- wrapped lines are joined into paragraphs, across a page break too, so a word the
  break cut ("最" | "高给予") is whole again. A new paragraph starts at a numbered
  heading (一、 （一） 1、), at a units line, after a sentence end, or after a line
  that stops well short of the text's right edge (a title, a signature).
A PDF with no text layer is a scan: it is imported by OCR when the `ocr` extra is
installed, and refused with that advice when it is not.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.importers.imported_text import ImportedText, ImportRefused
from ingest.importers.plain_lines import STARTS_PARAGRAPH, cjk_chars, normalise_line, plain_text
from ingest.table_rows import table_lines

MARGIN_BAND = 0.09  # share of the page height at top and bottom where running headers and footers sit
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／共]\s*\d{1,4}\s*页?)?[-—–－\s]*$")
_SENTENCE_END = "。；：！？;:!?"
MIN_TEXT_CHARS_PER_PAGE = 10  # below this on every page, the PDF is taken for a scan


@dataclass(frozen=True)
class _Line:
    text: str
    top: float
    x0: float
    x1: float
    page: int
    is_row: bool = False  # a table row: never joined with its neighbours


def import_pdf(path: Path) -> ImportedText:
    pages = _read_pages(path)
    if sum(cjk_chars(" ".join(line.text for line in page)) for page in pages) < MIN_TEXT_CHARS_PER_PAGE:
        from ingest.importers.scanned_pdf import ocr_pdf

        return ocr_pdf(path, len(pages))
    furniture = _running_lines(pages)
    body = [line for page in pages for line in page if not _is_furniture(line, furniture)]
    text = plain_text(_paragraphs(body))
    dropped = sum(len(page) for page in pages) - len(body)
    notes = (f"dropped {dropped} page header/footer/number lines",) if dropped else ()
    return ImportedText(text=text, source_format="pdf", notes=notes)


def _read_pages(path: Path) -> list[list[_Line]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(str(path)) as pdf:
            if not pdf.pages:
                raise ImportRefused(f"{path.name}: the PDF has no pages")
            return [_page_lines(page, number) for number, page in enumerate(pdf.pages)]
    except ImportRefused:
        raise
    except Exception as exc:  # pdfminer raises many kinds on a damaged file; pdfplumber wraps some of them
        causes = (exc, *exc.args)
        if any(isinstance(cause, PDFPasswordIncorrect) for cause in causes) or "encrypt" in str(exc).lower():
            raise ImportRefused(f"{path.name}: the PDF is encrypted (password-protected); save an unprotected copy") from None
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], (PDFSyntaxError, Exception)) else exc
        kind = type(inner).__name__
        raise ImportRefused(f"{path.name}: not a readable PDF ({kind})") from None


def _page_lines(page, number: int) -> list[_Line]:
    """The page's lines top to bottom, each table replaced by its rows."""
    tables = [t for t in page.find_tables() if len(t.rows) >= 2]
    boxes = [t.bbox for t in tables]
    lines = [
        _Line(normalise_line(raw["text"]), raw["top"] / page.height, raw["x0"], raw["x1"], number)
        for raw in page.extract_text_lines()
        if not any(_inside(raw, box) for box in boxes)
    ]
    for table in tables:
        top = table.bbox[1] / page.height
        lines.extend(_Line(row, top + i * 1e-6, table.bbox[0], table.bbox[2], number, True) for i, row in enumerate(table_lines(table.extract())))
    return sorted((line for line in lines if line.text), key=lambda line: line.top)


def _inside(raw: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    middle_x, middle_y = (raw["x0"] + raw["x1"]) / 2, (raw["top"] + raw["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _in_margin(line: _Line) -> bool:
    return line.top < MARGIN_BAND or line.top > 1 - MARGIN_BAND


def _shape(text: str) -> str:
    """A margin line with its digits masked: "第 3 页" and "第 4 页" have one shape."""
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def _running_lines(pages: list[list[_Line]]) -> set[str]:
    """Shapes of margin lines that occur on more than one page (running headers and footers)."""
    if len(pages) < 2:
        return set()
    shapes: Counter[str] = Counter()
    for page in pages:
        shapes.update({_shape(line.text) for line in page if _in_margin(line) and not line.is_row})
    return {shape for shape, n in shapes.items() if n >= 2}


def _is_furniture(line: _Line, running: set[str]) -> bool:
    if line.is_row or not _in_margin(line):
        return False
    return bool(_PAGE_NUMBER.match(line.text)) or _shape(line.text) in running


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Join wrapped lines (within a page and across page breaks) into paragraphs."""
    right_edge = max((line.x1 for line in lines if not line.is_row), default=0.0)
    paragraphs: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if previous is not None and _continues(previous, line, right_edge):
            paragraphs[-1] += _joiner(paragraphs[-1], line.text) + line.text
        else:
            paragraphs.append(line.text)
        previous = line
    return paragraphs


def _continues(previous: _Line, line: _Line, right_edge: float) -> bool:
    if previous.is_row or line.is_row or STARTS_PARAGRAPH.match(line.text):
        return False
    ends_units_note = previous.text.endswith(("）", ")")) and "责任单位" in previous.text
    if previous.text[-1] in _SENTENCE_END or ends_units_note:
        return False
    full_width = right_edge - min(previous.x0, line.x0)
    return previous.x1 >= right_edge - 0.08 * full_width  # the line ran to the edge: it wrapped


def _joiner(before: str, after: str) -> str:
    """Latin words wrapped at a line end keep their space; CJK text joins directly."""
    return " " if before[-1:].isascii() and before[-1:].isalnum() and after[:1].isascii() and after[:1].isalnum() else ""
