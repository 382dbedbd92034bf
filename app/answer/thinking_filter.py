"""Dropping a reasoning model's `<think>…</think>` text, which local servers pass on inside the answer.

Qwen3 or DeepSeek-R1 served by Ollama or vLLM often put their chain of thought
in the message content between <think> tags. It is not the answer: it is not
shown, not checked for citations, and (as it tends to restate the
instructions) not taken for a prompt leak.
"""

from __future__ import annotations

import re

OPEN, CLOSE = "<think>", "</think>"
_BLOCK = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL)


def strip_thinking(text: str) -> str:
    """`text` without its <think> blocks (an unclosed one runs to the end)."""
    return _BLOCK.sub("", text)


def _partial_tag(text: str, tag: str) -> int:
    """Length of the longest end of `text` that could be the start of `tag`."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0


class ThinkingFilter:
    """Streams text with the <think> blocks removed, however the tags are split across deltas."""

    def __init__(self) -> None:
        self.thinking = False
        self._pending = ""

    def feed(self, delta: str) -> str:
        self._pending += delta
        visible = []
        while True:
            if self.thinking:
                end = self._pending.find(CLOSE)
                if end < 0:
                    self._pending = self._pending[len(self._pending) - _partial_tag(self._pending, CLOSE) :]
                    break
                self._pending, self.thinking = self._pending[end + len(CLOSE) :], False
            else:
                start = self._pending.find(OPEN)
                if start < 0:
                    keep = _partial_tag(self._pending, OPEN)
                    visible.append(self._pending[: len(self._pending) - keep])
                    self._pending = self._pending[len(self._pending) - keep :]
                    break
                visible.append(self._pending[:start])
                self._pending, self.thinking = self._pending[start + len(OPEN) :], True
        return "".join(visible)

    def finish(self) -> str:
        """What was held back as a possible tag start, once no more text comes."""
        rest, self._pending = ("" if self.thinking else self._pending), ""
        return rest
