"""The "（责任单位：A、B）" annotations of the policy texts: which units carry out a measure.

Clause splitting, chunking, sentence splitting and quoting all need to
recognise them; the pattern lives here once.
"""

from __future__ import annotations

import re

# One annotation, e.g. "（责任单位：区科技局、区财政局〈含…〉）"; full- or half-width brackets and colon.
UNITS_NOTE = r"[（(]责任单位[：:][^（()）]*[）)]"

_UNITS = re.compile(r"[（(]责任单位[：:]([^（()）]*)[）)]")
_UNITS_LINE = re.compile(r"^[（(]责任单位[：:]")
UNITS_TAIL = re.compile(UNITS_NOTE + r"\s*$")


def parse_units(text: str) -> list[str]:
    """Responsible units named in "（责任单位：A、B，C〈含…〉）" annotations, in order, once each."""
    units: list[str] = []
    for match in _UNITS.finditer(text):
        body = re.sub(r"〈[^〉]*〉", "", match.group(1))
        for unit in re.split(r"[、，,]", body):
            unit = unit.strip()
            if unit and unit not in units:
                units.append(unit)
    return units


def is_units_line(line: str) -> bool:
    """Does the line start with an annotation (it then belongs to the clause above it)?"""
    return bool(_UNITS_LINE.match(line))


def without_units_tail(sentence: str) -> str:
    """The sentence without a trailing annotation (what is worth quoting of it)."""
    return UNITS_TAIL.sub("", sentence)
