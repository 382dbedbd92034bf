"""Scanned PDFs (no text layer): OCR when the optional `ocr` extra is installed, a clear refusal otherwise.

The extra is RapidOCR on onnxruntime (Apache-2.0), whose Chinese detection and
recognition models ship inside its wheel: nothing is downloaded at run time.
Pages are rendered with pypdfium2 (installed with pdfplumber). OCR text is
reported as such so the maintainer proofreads it before ingesting.
"""

from __future__ import annotations

from pathlib import Path

from ingest.importers.imported_text import ImportedText, ImportRefused
from ingest.importers.plain_lines import STARTS_PARAGRAPH, cjk_chars, plain_text

OCR_SCALE = 2.0  # render at 144 dpi: small print in scans needs it
_SENTENCE_END = "。；：！？）)"


def ocr_available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def ocr_pdf(path: Path, page_count: int) -> ImportedText:
    if not ocr_available():
        raise ImportRefused(
            f"{path.name}: the PDF has no text layer (a scanned document, {page_count} page(s)); "
            'install the OCR extra (pip install -e ".[ocr]") to import it, or import a PDF with text'
        )
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()
    lines: list[str] = []
    for image in _page_images(path):
        result, _ = engine(image)
        lines.extend(_ocr_lines(result or []))
    text = plain_text(_join_wrapped(lines))
    if cjk_chars(text) == 0:
        raise ImportRefused(f"{path.name}: the PDF has no text layer and OCR found no Chinese text in it")
    return ImportedText(text=text, source_format="pdf", notes=(f"text recognised by OCR from {page_count} scanned page(s): proofread it",))


def _page_images(path: Path):
    import numpy as np
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for page in pdf:
            yield np.asarray(page.render(scale=OCR_SCALE).to_pil().convert("RGB"))
    finally:
        pdf.close()


def _ocr_lines(result: list) -> list[str]:
    """OCR boxes top to bottom, left to right; boxes on one baseline make one line."""
    boxes = sorted(((box[0][1], box[0][0], text) for box, text, _score in result), key=lambda b: (b[0], b[1]))
    lines: list[tuple[float, list[tuple[float, str]]]] = []
    for top, left, text in boxes:
        if lines and abs(lines[-1][0] - top) < 12:
            lines[-1][1].append((left, text))
        else:
            lines.append((top, [(left, text)]))
    return ["".join(text for _, text in sorted(parts)) for _, parts in lines]


def _join_wrapped(lines: list[str]) -> list[str]:
    """OCR has no line widths to go by: a line that does not end a sentence continues on the next."""
    out: list[str] = []
    for line in lines:
        wrapped = out and out[-1] and out[-1][-1] not in _SENTENCE_END and len(out[-1]) > 20
        if wrapped and not STARTS_PARAGRAPH.match(line):
            out[-1] += line
        else:
            out.append(line)
    return out
