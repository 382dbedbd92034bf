"""Find the clauses of a cleaned policy text by following the document's own structure.

Three shapes occur and any mix of them is handled:
- self-contained measures, "一、标题。正文…" on one line, optionally followed by a
  "（责任单位：…）" line (the Hongshan and OPC measures);
- section headings "一、标题" with numbered items "1、…" below them (the pilot zone)
  or with sub-items "（一）…" or plain paragraphs below them (the OPC annex);
- free paragraphs: a preamble before the first measure, closing provisions after
  the last one (labelled 附则).
A line "附件" starts an annex; its clauses are labelled "附件 …".
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.records import ANNEX_PREFIX, Clause
from policy_core.responsible_units import is_units_line, parse_units

_CN_NUM = "一二三四五六七八九十"
_MEASURE = re.compile(rf"^([{_CN_NUM}]+)、(.*)$")
_SUB_ITEM = re.compile(rf"^[（(]([{_CN_NUM}]+)[）)](.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})、(.*)$")
_ANNEX = re.compile(r"^附\s*件[一二三0-9]*[：:]?$")

PREAMBLE = "前言"
CLOSING = "附则"


def _title(rest: str, stops: str) -> str:
    cut = min((i for i in (rest.find(ch) for ch in stops) if i >= 0), default=len(rest))
    return rest[:cut].strip()


def split_clauses(cleaned: str, title: str) -> list[Clause]:
    """Clauses of a cleaned text whose first line(s) are the document title."""
    builder = _ClauseBuilder(cleaned)
    for start, line in _body_lines(cleaned, title):
        builder.feed(start, line)
    return builder.finish()


def _body_lines(cleaned: str, title: str) -> list[tuple[int, str]]:
    """(offset, line) pairs after the title, which may wrap over two lines."""
    title_chars = title.replace(" ", "")
    consumed, pos = 0, 0
    while consumed < len(title_chars) and pos < len(cleaned):
        if not cleaned[pos].isspace():
            consumed += 1
        pos += 1
    pos = cleaned.find("\n", pos - 1) + 1 if "\n" in cleaned[pos - 1 :] else len(cleaned)
    lines: list[tuple[int, str]] = []
    for raw in cleaned[pos:].split("\n"):
        if raw.strip():
            lines.append((pos, raw))
        pos += len(raw) + 1
    return lines


class _ClauseBuilder:
    def __init__(self, cleaned: str) -> None:
        self.cleaned = cleaned
        self.clauses: list[Clause] = []
        self.current: Clause | None = None
        self.in_annex = False
        self.skip_annex_title = False
        self.section_number = ""

    def feed(self, start: int, line: str) -> None:
        end = start + len(line)
        if _ANNEX.match(line):
            self._flush()
            self.in_annex, self.skip_annex_title, self.section_number = True, True, ""
            return
        if self.skip_annex_title:
            self.skip_annex_title = False
            if not line.endswith(("。", "：", ":")) and len(line) < 40:
                return
        if m := _MEASURE.match(line):
            number, rest = m.groups()
            self.section_number = number
            if "。" in rest or len(rest) > 30:
                self._open(f"{number}、{_title(rest, '。')}", start, end, "measure")
            else:
                self._open(f"{number}、{rest.strip()}", start, end, "section")
        elif m := _SUB_ITEM.match(line):
            number, rest = m.groups()
            self._open(f"{self.section_number}（{number}）{_title(rest, '：:。')}", start, end, "sub_item")
        elif m := _NUMBERED.match(line):
            number, rest = m.groups()
            self._open(f"{number}、{_title(rest, '。，,')}", start, end, "item")
        elif is_units_line(line) and self.current is not None:
            self.current = replace(self.current, end=end)
        elif self.current is None:
            self._open(PREAMBLE, start, end, "preamble")
        elif self.current.kind in ("preamble", "section", "closing"):
            self.current = replace(self.current, end=end)
        else:
            self._open(CLOSING, start, end, "closing")

    def _open(self, label: str, start: int, end: int, kind: str) -> None:
        self._flush()
        prefix = ANNEX_PREFIX if self.in_annex else ""
        self.current = Clause(prefix + label, start, end, kind)

    def _flush(self) -> None:
        clause, self.current = self.current, None
        if clause is None:
            return
        text = self.cleaned[clause.start : clause.end]
        if clause.kind == "section" and "\n" not in text:
            return  # a heading whose content lives in the items below it
        self.clauses.append(replace(clause, units=tuple(parse_units(text))))

    def finish(self) -> list[Clause]:
        self._flush()
        return self.clauses
