"""Streaming an answer that is already complete (extractive, or a fallback) in small pieces."""

from __future__ import annotations

from collections.abc import Iterator

PIECE_CHARS = 12


def pieces(text: str, size: int = PIECE_CHARS) -> Iterator[str]:
    """`text` in pieces of `size` characters, so the page shows progress as it does for an LLM."""
    for i in range(0, len(text), size):
        yield text[i : i + size]
