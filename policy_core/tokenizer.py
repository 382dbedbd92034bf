"""jieba, taught the policy vocabulary, for BM25 and for word-safe splitting.

One tokenizer instance is shared; it is built on first use so that commands
which never tokenize (`--help`) don't pay jieba's start-up cost.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba

VOCABULARY_DIR = Path(__file__).parent / "vocabulary"
_KEEP = re.compile(r"[\w\u4e00-\u9fff%]")

jieba.setLogLevel(logging.WARNING)


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(VOCABULARY_DIR / "policy_terms.txt"))
    return tokenizer


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset((VOCABULARY_DIR / "stopwords.txt").read_text(encoding="utf-8").split())


def tokenize(text: str) -> list[str]:
    """Search-mode tokens (a long word also yields its parts), lowercased, without stopwords or punctuation."""
    stop = stopwords()
    return [
        token
        for token in (t.strip().lower() for t in _tokenizer().lcut_for_search(text))
        if token and token not in stop and _KEEP.search(token)
    ]


@lru_cache(maxsize=8192)
def token_set(text: str) -> frozenset[str]:
    """The tokens of a corpus passage, memoised: clause texts recur on every question."""
    return frozenset(tokenize(text))


def word_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each jieba word of `text`, in order."""
    return [(start, end) for _, start, end in _tokenizer().tokenize(text)]


def chunk_tokens(label: str, text: str) -> list[str]:
    """What BM25 indexes for a chunk. The policy title is left out: it would match every
    chunk of a document alike; questions that name a policy are steered by its keywords."""
    return tokenize(f"{label} {text}")
