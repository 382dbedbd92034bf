"""Sentences of a policy text, as [start, end) spans: for chunking, scoring and quoting.

A sentence ends after 。！？ (and ； where asked) or at a newline; a
"（责任单位：…）" annotation right after the stop stays with its sentence.
"""

from __future__ import annotations

import re

from policy_core.responsible_units import UNITS_NOTE

_SENTENCE = re.compile(rf"[^。；！？;!?]*(?:[。；！？;!?]+(?:{UNITS_NOTE})?|$)")
_FULL_SENTENCE = re.compile(rf"[^。！？!?]*(?:[。！？!?]+(?:{UNITS_NOTE})?|$)")


def sentence_spans(text: str, offset: int = 0, split_at_semicolons: bool = True) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences of `text`, shifted by `offset`; newlines end a sentence too.

    Chunking cuts at ； as well; quoting keeps ；-joined parts together, as they share a subject."""
    pattern = _SENTENCE if split_at_semicolons else _FULL_SENTENCE
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        for m in pattern.finditer(line):
            if m.group(0).strip():
                spans.append((offset + line_start + m.start(), offset + line_start + m.end()))
        line_start += len(line) + 1
    return spans
