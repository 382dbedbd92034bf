"""What a question says before any search: its language, the policies it names, its search terms."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.records import PolicyDoc
from policy_core.tokenizer import VOCABULARY_DIR, tokenize

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z][a-z+]*")

# "Does the question ask for an amount?" — one vocabulary, three strengths, each for its use:
_HOW_MUCH = "多少|几|能拿|能补|能领|how much"
_ASKS_HOW_MUCH = re.compile(_HOW_MUCH, re.IGNORECASE)
_ASKS_TO_COMPUTE = re.compile(f"{_HOW_MUCH}|可以补|可补|how many|amount", re.IGNORECASE)
_ASKS_ABOUT_AMOUNTS = re.compile(
    "多少|几|how much|how many|amount|最高|上限|额度|标准|怎么算|补贴|补助|资助|奖励|给钱|maximum|subsid|grant", re.IGNORECASE
)


def asks_how_much(question: str) -> bool:
    """Strictly a how-much question ("能拿多少？"): a follow-up asking it keeps the previous topic."""
    return bool(_ASKS_HOW_MUCH.search(question))


def asks_to_compute(question: str) -> bool:
    """A how-much question, English included: worth applying a clause's rate and cap to the amount it names."""
    return bool(_ASKS_TO_COMPUTE.search(question))


def asks_about_amounts(question: str) -> bool:
    """Anything about money or limits (补贴, 最高, 标准 …): sentences with numbers then match better."""
    return bool(_ASKS_ABOUT_AMOUNTS.search(question))


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


# Markup and links pasted into a question are neither its language nor its subject.
_MARKUP = re.compile(r"<[^>]*>|&#?\w+;|https?://\S+|\bwww\.\S+", re.IGNORECASE)
# Names and acronyms that Chinese questions use as they are.
_NAMES_IN_LATIN = frozenset({"opc", "ai", "aigc", "gpu", "cpu", "api", "app", "it", "ip", "ceo", "cto", "ok"})


def without_markup(text: str) -> str:
    return _MARKUP.sub(" ", text)


def is_english(text: str) -> bool:
    """The question's own words are English: markup, links, numbers and names like OPC do not count."""
    words = _LATIN_WORD.findall(without_markup(text).lower())
    latin = sum(len(w) for w in words if w not in _NAMES_IN_LATIN)
    return latin > 3 * len(_CJK.findall(text)) and latin >= 6


def expand_english(text: str) -> str:
    """Append the Chinese policy terms for the English words of `text`."""
    extra = _glossary_terms(text)
    return f"{text} {' '.join(extra)}" if extra else text


@lru_cache(maxsize=1)
def _region_words() -> dict[str, list[str]]:
    return {region: terms.split() for region, terms in _read_mapping("region_words.txt").items()}


@dataclass(frozen=True)
class PolicyNames:
    """How questions name policies: a policy's own keywords (洪山, OPC, 试验区), or its region (市里)."""

    keywords: dict[str, tuple[str, ...]]
    regions: dict[str, str]
    current: frozenset[str]  # policies not expired: a bare region word means these

    @classmethod
    def from_docs(cls, docs: dict[str, PolicyDoc], today: dt.date) -> "PolicyNames":
        current = frozenset(d for d, doc in docs.items() if not doc.valid_until or doc.valid_until >= today)
        return cls(
            {d: tuple(doc.keywords) for d, doc in docs.items()},
            {d: doc.region.lower() for d, doc in docs.items()},
            current,
        )

    def words(self) -> dict[str, list[str]]:
        """Every word that names each policy: its keywords and its region's words (computed once)."""
        cached = self.__dict__.get("_words")
        if cached is None:
            regions = _region_words()
            cached = {d: [*words, *regions.get(self.regions[d], [])] for d, words in self.keywords.items()}
            object.__setattr__(self, "_words", cached)
        return cached

    def hints(self, text: str) -> set[str]:
        """Policies the text names; a region word adds that region's current policies unless
        the text already names one of that region's policies ("老政策里市里配套多少")."""
        lowered = text.lower()
        named = {d for d, words in self.keywords.items() if any(w.lower() in lowered for w in words)}
        for region, words in _region_words().items():
            if any(w.lower() in lowered for w in words) and not any(self.regions[d] == region for d in named):
                named |= {d for d, r in self.regions.items() if r == region and d in self.current}
        return named


def analyze(question: str, names: PolicyNames) -> QueryAnalysis:
    english = is_english(question)
    text = without_markup(question)
    search_text = expand_colloquial(expand_english(text) if english else text)
    hints = names.hints(search_text)
    # A policy's own name words steer by document (the hint); left in the BM25 query they
    # would favour the few clauses that happen to repeat the region's name.
    lowered = search_text.lower()
    named = [w for words in names.words().values() for w in words if w.lower() in lowered]
    name_tokens = set(tokenize(" ".join(named)))
    tokens = [t for t in tokenize(search_text) if t not in name_tokens]
    return QueryAnalysis(question, search_text, tokens, english, hints, name_tokens)
