"""What a question says before any search: its language, the policies it names, its search terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.tokenizer import VOCABULARY_DIR, tokenize

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z][a-z+]*")


@dataclass
class QueryAnalysis:
    question: str
    search_text: str
    tokens: list[str]
    english: bool
    doc_hints: set[str] = field(default_factory=set)
    name_tokens: set[str] = field(default_factory=set)


def _read_mapping(name: str) -> dict[str, str]:
    """A `word: terms` file from the vocabulary folder."""
    entries: dict[str, str] = {}
    for line in (VOCABULARY_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and ":" in line:
            word, terms = line.split(":", 1)
            entries[word.strip().lower()] = terms.strip()
    return entries


@lru_cache(maxsize=1)
def _glossary() -> dict[str, str]:
    return _read_mapping("en_zh_glossary.txt")


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    return _read_mapping("synonyms.txt")


def expand_colloquial(text: str) -> str:
    """Append the policy texts' words for the colloquial words of `text` (公司 → 企业, 租房 → 租住 …)."""
    lowered = text.lower()
    extra = [terms for word, terms in _synonyms().items() if word in lowered]
    return f"{text} {' '.join(extra)}" if extra else text


def _glossary_terms(text: str) -> list[str]:
    """Chinese terms for the English words and phrases ("pilot zone") of `text`."""
    lowered = text.lower()
    words = set(_LATIN_WORD.findall(lowered))
    return [terms for key, terms in _glossary().items() if (key in lowered if " " in key else key in words)]


def is_english(text: str) -> bool:
    latin = sum(len(w) for w in _LATIN_WORD.findall(text.lower()))
    return latin > 3 * len(_CJK.findall(text)) and latin >= 6


def expand_english(text: str) -> str:
    """Append the Chinese policy terms for the English words of `text`."""
    extra = _glossary_terms(text)
    return f"{text} {' '.join(extra)}" if extra else text


def doc_hints(text: str, keywords: dict[str, list[str]]) -> set[str]:
    """Documents whose manifest keywords appear in the question."""
    lowered = text.lower()
    return {doc_id for doc_id, words in keywords.items() if any(w.lower() in lowered for w in words)}


def analyze(question: str, keywords: dict[str, list[str]]) -> QueryAnalysis:
    english = is_english(question)
    search_text = expand_colloquial(expand_english(question) if english else question)
    hints = doc_hints(search_text, keywords)
    # A policy's own name words steer by document (the hint); left in the BM25 query they
    # would favour the few clauses that happen to repeat the region's name.
    lowered = search_text.lower()
    named = [w for words in keywords.values() for w in words if w.lower() in lowered]
    name_tokens = set(tokenize(" ".join(named)))
    tokens = [t for t in tokenize(search_text) if t not in name_tokens]
    return QueryAnalysis(question, search_text, tokens, english, hints, name_tokens)
