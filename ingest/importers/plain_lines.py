"""The plain form every importer writes: one paragraph or table row per line.

It is the form the cleaner already handles for the seed texts: no markup, no blank
lines, no indentation, and a `---` rule before the distribution list (抄送 …), where
the cleaner stops.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u200b]+")
_CJK = "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_RULE_ONLY = re.compile(r"^[-—_=─━·.\s]{3,}$")
_DISTRIBUTION = re.compile(r"^(抄送|抄报|分送)[：:]")
STARTS_PARAGRAPH = re.compile(
    r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,3}[、.．]|第[一二三四五六七八九十百]+[章条]|附\s*件|[（(]责任单位)"
)
"""A line that starts a paragraph whatever precedes it: a numbered heading, an annex, a units line."""


def normalise_line(line: str) -> str:
    """One line of plain text: no control characters, single spaces, none between CJK characters."""
    line = "".join(ch for ch in line if ch in "\t" or unicodedata.category(ch)[0] != "C")
    line = _SPACES.sub(" ", line).strip()
    return _SPACE_NEAR_CJK.sub("", line)


def plain_text(lines: list[str]) -> str:
    """Join lines into the corpus form; a rule line goes before the distribution list."""
    out: list[str] = []
    for raw in lines:
        line = normalise_line(raw)
        if not line or _RULE_ONLY.match(line):
            continue
        if _DISTRIBUTION.match(line) and "---" not in out:
            out.append("---")
        out.append(line)
    return "\n".join(out) + "\n" if out else ""


def cjk_chars(text: str) -> int:
    """How many CJK ideographs a text has: the measure of "is there any main text here"."""
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
