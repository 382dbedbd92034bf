"""Word (.docx) → plain text: paragraphs and tables in document order.

The body is read element by element so a table stays where it stands between
paragraphs. Page headers and footers live outside the body and are left out.
A soft line break inside a paragraph is joined unless it ends a sentence.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.importers.imported_text import ImportedText, ImportRefused
from ingest.importers.plain_lines import cjk_chars, plain_text
from ingest.table_rows import table_lines

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an encrypted .docx (or an old .doc) is an OLE compound file
_SENTENCE_END = "。；：！？）)"


def import_docx(path: Path) -> ImportedText:
    document = _open(path)
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            from docx.text.paragraph import Paragraph

            lines.extend(_paragraph_lines(Paragraph(element, document).text))
        elif tag == "tbl":
            from docx.table import Table

            lines.extend(table_lines(_table_rows(Table(element, document))))
    text = plain_text(lines)
    if cjk_chars(text) == 0:
        raise ImportRefused(f"{path.name}: the document has no Chinese text")
    return ImportedText(text=text, source_format="docx", title_hint=(document.core_properties.title or "").strip())


def _open(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == _OLE_MAGIC:
        raise ImportRefused(f"{path.name}: the file is password-protected or an old .doc; save it as an unprotected .docx")
    try:
        return docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise ImportRefused(f"{path.name}: not a readable .docx file ({type(exc).__name__})") from None


def _paragraph_lines(text: str) -> list[str]:
    """A paragraph's text; a soft break (\\n) stays a break only after a sentence end."""
    parts = [part.strip() for part in text.replace("\t", " ").split("\n")]
    lines: list[str] = []
    for part in parts:
        if lines and lines[-1] and lines[-1][-1] not in _SENTENCE_END:
            lines[-1] += part
        else:
            lines.append(part)
    return lines


def _table_rows(table) -> list[list[str | None]]:
    """Cell texts per row; a cell merged across columns is given once (None for the rest of it)."""
    rows: list[list[str | None]] = []
    for row in table.rows:
        cells: list[str | None] = []
        previous = None
        for cell in row.cells:
            cells.append(None if cell._tc is previous else cell.text)
            previous = cell._tc
        rows.append(cells)
    return rows
