"""Resolving a follow-up ("那洪山区呢？", "租房呢？") into a stand-alone question, without an LLM.

The rule: a message that names no topic of its own borrows the previous
question's topic; a message that names no policy or region borrows the
previous question's. The previous question is taken as resolved, so chains of
follow-ups keep their thread.
"""

from __future__ import annotations

import re

from app.retrieval.query_analyzer import asks_how_much, expand_colloquial, expand_english, is_english
from app.schemas import Turn
from policy_core.tokenizer import tokenize

_FOLLOWUP_OPENERS = re.compile(r"^\s*(?:那么?|还有|另外|然后|and|what about|how about)\s*", re.IGNORECASE)
_FILLER = re.compile(r"[呢吗吧啊呀？?！!。，,\s]+|怎么样|如何|怎样|what about|how about|and", re.IGNORECASE)
_FILLER_TOKENS = {"区", "市", "那", "那么", "呢", "政策", "里", "级", "about"}
_FOLLOWUP_SHAPE = re.compile(r"^\s*(?:那|还有|另外|然后|and\b|what about|how about)|呢[？?！!。\s]*$", re.IGNORECASE)
MAX_FOLLOWUP_CHARS = 30


def _keywords_in(text: str, keywords: dict[str, list[str]]) -> list[str]:
    """The policy and region names in `text`, once each (case-insensitively)."""
    lowered = text.lower()
    found: dict[str, str] = {}
    for words in keywords.values():
        for word in sorted(words, key=len, reverse=True):
            if word.lower() in lowered:
                found.setdefault(word.lower(), word)
    return list(found.values())


def _strip_keywords(text: str, words: list[str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(re.escape(word), " ", text, flags=re.IGNORECASE)
    return text


def _has_topic(text: str, keywords: dict[str, list[str]], idf: dict[str, float]) -> bool:
    """Does the message name a subject (a word the corpus uses) beyond policy/region names?"""
    rest = _strip_keywords(_FILLER.sub(" ", text), _keywords_in(text, keywords))
    expanded = expand_colloquial(expand_english(rest) if is_english(text) else rest)
    return any(t in idf and t not in _FILLER_TOKENS for t in tokenize(expanded))


def is_bare_followup(message: str, keywords: dict[str, list[str]], idf: dict[str, float]) -> bool:
    """A short message shaped as a follow-up ("那…", "…呢？") that names no subject of its own ("那洪山区呢？"):
    it only makes sense after an earlier turn."""
    return len(message) <= MAX_FOLLOWUP_CHARS and bool(_FOLLOWUP_SHAPE.search(message)) and not _has_topic(message, keywords, idf)


def named_places(message: str, keywords: dict[str, list[str]]) -> list[str]:
    """The policy and region names the message gives, as written, a name inside a longer one left out ("洪山区", not also "洪山")."""
    found = _keywords_in(message, keywords)
    return [w for w in found if not any(w != other and w.lower() in other.lower() for other in found)]


def resolve_followup(message: str, history: list[Turn], keywords: dict[str, list[str]], idf: dict[str, float]) -> str:
    """The stand-alone question for `message` given the earlier turns (the message itself when it stands alone)."""
    if not history or len(message) > MAX_FOLLOWUP_CHARS:
        return message
    previous = history[-1].resolved_question or history[-1].question
    has_topic = _has_topic(message, keywords, idf)
    own_places = _keywords_in(message, keywords)
    if not has_topic:
        topic = _strip_keywords(previous, _keywords_in(previous, keywords)).strip()
        core = _FOLLOWUP_OPENERS.sub("", _FILLER.sub(" ", message)).strip()
        return f"{core} {topic}".strip()
    if not own_places:
        places = _keywords_in(previous, keywords)
        core = _FOLLOWUP_OPENERS.sub("", message).strip()
        if asks_how_much(message):
            # "我们研发花了2000万，能拿多少？": an amount question about the subject just discussed.
            topic = _strip_keywords(previous, places).strip()
            return f"{' '.join(places)} {core} {topic}".strip()
        if places:
            return f"{' '.join(places)} {core}"
    return message
