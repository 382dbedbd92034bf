"""Tables as plain text: one line per row, each cell named by its column header.

A subsidy table copied by hand loses which amount belongs to which level. Written
as "级别：国家级，奖励：50万元。" a row carries its own headers, so a retrieved row
still says what its numbers mean. Cells are joined with "，" (not "；") because the
chunker may cut a long clause after "；" but cuts after "，" only inside a single
over-long sentence: a row is one short sentence, so a chunk never splits a row.

The clause splitter recognises these lines (`is_table_row`) and keeps them in the
clause whose text introduces the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_CELL_SPACE = re.compile(r"\s+")
_HEADER = r"[^：:，。\n]{1,12}"
# Two or more "header：value" cells joined by "，", ending in "。".
_ROW_LINE = re.compile(rf"^{_HEADER}：[^\n]*?(?:，{_HEADER}：[^\n]*?)+。$")

Cell = str | None
"""A cell's text; None where a merged cell continues (PDF tables give None there)."""


def table_lines(rows: Sequence[Sequence[Cell]]) -> list[str]:
    """Plain-text lines for a table whose first non-empty row is its header.

    A cell merged across columns is given once (None for the rest of its span); an empty
    first cell under a vertically merged one takes the value above it, so each row still
    names its level; a repeated header row (a table that
    continues on the next page) is skipped. A table without a header row (one row, one
    column, or cells that name themselves, "发文机关：…") gives one line per row as it is."""
    grid = [[_cell_text(cell) for cell in row] for row in rows]
    grid = [row for row in grid if any(row)]
    if not grid:
        return []
    header = grid[0]
    labelled = all("：" in cell or ":" in cell for row in grid for cell in row if cell)
    if labelled or len([h for h in header if h]) < 2 or len(grid) == 1:
        return [_as_sentence("，".join(c for c in row if c)) for row in grid]
    width = len(header)
    lines: list[str] = []
    above: list[str] = [""] * width
    for raw in grid[1:]:
        row = (raw + [""] * width)[:width]
        if row == grid[0][:width]:
            continue
        row = [cell or (above[i] if _merged_down(raw, i) else "") for i, cell in enumerate(row)]
        above = row
        cells = [f"{name or f'第{i + 1}列'}：{value}" for i, (name, value) in enumerate(zip(header, row)) if value]
        if cells:
            lines.append(_as_sentence("，".join(cells)))
    return lines


def is_table_row(line: str) -> bool:
    """Is this line a table row as `table_lines` writes it?"""
    return bool(_ROW_LINE.match(line.strip()))


def _cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    return _CELL_SPACE.sub("", cell) if _is_cjk_only(cell) else _CELL_SPACE.sub(" ", cell).strip()


def _is_cjk_only(text: str) -> bool:
    """Cells wrapped inside a PDF column break CJK words with spaces; Latin text keeps them."""
    return not re.search(r"[A-Za-z]\s+[A-Za-z]", text)


def _merged_down(raw: list[str], column: int) -> bool:
    """An empty cell in the first column of a row with other values continues the cell above."""
    return column == 0 and any(raw[1:])


def _as_sentence(text: str) -> str:
    text = text.rstrip("。；;，, ")
    return f"{text}。" if text else ""
