"""Importers: a policy as published (PDF, Word, a saved web page) → the plain text the corpus holds.

One module per format; `import_document` picks by extension and applies the checks
every format shares (size limit, empty file). Each returns an `ImportedText`.
"""

from __future__ import annotations

from pathlib import Path

from ingest.importers.imported_text import ImportedText, ImportRefused

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".html", ".htm")


def import_document(path: Path, max_bytes: int) -> ImportedText:
    """Extract the plain text of `path`; every problem is one `ImportRefused` line."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportRefused(f"{path.name}: unsupported file type {suffix or '(none)'}; import takes {', '.join(SUPPORTED_SUFFIXES)}")
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused(f"{path.name}: the file is empty")
    if size > max_bytes:
        raise ImportRefused(f"{path.name}: {size / 1e6:.1f} MB is over the import limit of {max_bytes / 1e6:.1f} MB (IMPORT_MAX_BYTES)")
    if suffix == ".pdf":
        from ingest.importers.pdf_importer import import_pdf

        return import_pdf(path)
    if suffix == ".docx":
        from ingest.importers.docx_importer import import_docx

        return import_docx(path)
    from ingest.importers.html_importer import import_html

    return import_html(path)


__all__ = ["ImportRefused", "ImportedText", "SUPPORTED_SUFFIXES", "import_document"]
