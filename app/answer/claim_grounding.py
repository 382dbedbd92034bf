"""No claim without its source: each sentence of an answer that states a fact is checked against what it cites.

A sentence states a fact when it names an amount, a rate, a duration, a date,
a department, a place, a policy title or an eligibility condition
(`fact_values.py`). Such a sentence is *grounded* when

- it carries a citation marker [n] (strict mode, the LLM guard), and
- every value it names is among the values of the sources it cites or of the
  advisor's own facts (amounts the founder gave, amounts the advisor computed,
  the advisor's notes): amounts, rates, durations and dates compared as values;
- every department, place and policy title it names is written in a cited
  source (a place the corpus does not cover is in no source, so it is never
  asserted); "洪山区经科局" counts as "区经科局" when 洪山 is in the source;
- an eligibility condition without any value shares at least half of its
  content words with the cited sources (Chinese sentences only: an English
  sentence about a Chinese clause cannot be compared word by word).

Sentences without facts ("以下是相关政策：") need no citation. In the
evaluation's non-strict reading, a sentence without its own marker is checked
against the markers of the sentence before it in its paragraph (an advisor
line such as "责任单位：区经科局" under a quote), else against all citations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.answer.fact_values import Facts, chinese_number, date_prefixes, extract_facts
from app.answer.subsidy_calculator import calculate
from policy_core.sentences import sentence_spans
from policy_core.tokenizer import tokenize

_MARKER = re.compile(r"\[(\d{1,2})\]")
# A sentence: up to 。！？!? (or ". "), or a line; the markers right after its stop belong to it.
_SENTENCE = re.compile(r"[^。！？!?\n]*?(?:[。！？!?]+|\.(?=\s|$)|(?=\n)|$)(?:[ \t]*\[\d{1,2}\])*[ \t]*\n*")
_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
ELIGIBILITY_OVERLAP = 0.5
UNSTATED_PHRASES = ("未列明", "未规定", "未写明", "未明确", "未载明", "没有列明", "没有规定", "没有写明", "not specify", "does not say")
# A sentence that defers to the clause or a notice ("是否符合以条款所列条件为准") claims no condition itself.
DEFERRING_PHRASES = ("为准", "depends on the conditions")
_COUNT = re.compile(r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*(?:个|项|家|套|款|名|人|平方米|平米|㎡|m2|square met)")


def _flat(text: str) -> str:
    return _SPACE.sub("", text).lower()


@dataclass(frozen=True)
class Evidence:
    """What a sentence may be compared with: some texts and the values they state."""

    text: str  # whitespace removed, lower-cased
    facts: Facts
    dates: frozenset[str]
    words: frozenset[str]

    @classmethod
    def of(cls, texts: Sequence[str]) -> "Evidence":
        joined = "\n".join(texts)
        facts = extract_facts(joined)
        return cls(_flat(joined), facts, frozenset(date_prefixes(facts.dates)), frozenset(tokenize(joined)))

    def union(self, other: "Evidence") -> "Evidence":
        f, g = self.facts, other.facts
        facts = Facts(
            f.amounts | g.amounts, f.rates | g.rates, f.durations | g.durations, f.dates | g.dates,
            f.departments | g.departments, f.places | g.places, f.titles | g.titles,
        )  # fmt: skip
        return Evidence(self.text + "\n" + other.text, facts, self.dates | other.dates, self.words | other.words)


@dataclass(frozen=True)
class Verdict:
    grounded: bool
    stated: bool  # the sentence states a fact
    reason: str = ""  # what was not found, for the log


def advisor_values(question: str, source_texts: Sequence[str]) -> list[str]:
    """Texts of facts the advisor itself vouches for: the question's amounts and what it computes from the sources."""
    asked = extract_facts(question)  # the founder's own figures, restated, are no claim (places and units are)
    values = [
        " ".join(_yuan(v) for v in asked.amounts),
        " ".join(f"{v:g}%" for v in asked.rates),
        " ".join(f"{n:g}{'个月' if unit == 'month' else '天'}" for n, unit in asked.durations),
        " ".join(asked.dates),
    ]
    sentences = [t[s:e] for t in source_texts for s, e in sentence_spans(t)]
    calc = calculate(question, sentences)
    if calc is not None:
        values.append(f"{calc.raw:g}万元 {calc.result:g}万元 {calc.cap:g}万元 {calc.base:g}万元")
    values.append(" ".join(_yuan(v) for v in _derived_amounts(question, source_texts)))
    return values


def _yuan(value: float) -> str:
    """An amount as text the fact reader reads back exactly (not 3e+06元)."""
    return f"{value:.2f}元"


def _derived_amounts(question: str, source_texts: Sequence[str]) -> set[float]:
    """What the advisor's provision arithmetic can state from the founder's figures and the sources:
    amount × rate, count or area × a per-unit amount, and the difference of two amounts (差额)."""
    asked = extract_facts(question)
    counts = [chinese_number(m.group("n")) for m in _COUNT.finditer(question)]
    source = extract_facts(" ".join(source_texts))
    derived = {a * r / 100 for a in asked.amounts for r in source.rates}
    derived |= {c * a for c in counts if c for a in source.amounts}
    derived |= {abs(a - b) for a in source.amounts for b in source.amounts if a != b}
    return derived


def check_sentence(facts: Facts, sentence: str, evidence: Evidence) -> str:
    """"" when every fact of the sentence is in `evidence`, else what is missing."""
    for amount in facts.amounts:
        if not any(abs(amount - a) < 0.01 for a in evidence.facts.amounts):
            return f"amount {amount:,.0f} yuan not in its sources"
    for rate in facts.rates:
        if rate not in evidence.facts.rates:
            return f"rate {rate:g}% not in its sources"
    for duration in facts.durations:
        if duration not in evidence.facts.durations:
            return f"duration {duration[0]:g} {duration[1]}s not in its sources"
    for date in facts.dates:
        if date not in evidence.dates:
            return f"date {date} not in its sources"
    for place in facts.places:
        if place.lower() not in evidence.text:
            return f"place {place} not in its sources"
    for department in facts.departments:
        if not _department_found(department, facts, evidence):
            return f"department {department} not in its sources"
    for title in facts.titles:
        if _flat(title) not in evidence.text:
            return f"policy 《{title}》 not in its sources"
    silent = any(phrase in sentence for phrase in UNSTATED_PHRASES + DEFERRING_PHRASES)  # no condition claimed
    if facts.eligibility and not facts.values and not silent and _CJK.search(sentence):
        words = set(tokenize(_MARKER.sub("", sentence)))
        if words and len(words & evidence.words) < ELIGIBILITY_OVERLAP * len(words):
            return "condition not in the cited text"
    return ""


def _department_found(department: str, facts: Facts, evidence: Evidence) -> bool:
    name = _flat(department)
    if name in evidence.text:
        return True
    for place in facts.places:  # "洪山区经科局" when the source says "区经科局" and names 洪山
        for suffix in ("省", "市", "区", "县", ""):
            prefix = place.lower() + suffix
            if name.startswith(prefix) and len(name) > len(prefix):
                rest = name[len(prefix) :]
                if (suffix + rest) in evidence.text or rest in evidence.text:
                    return True
    return False


@dataclass
class Sentence:
    text: str
    refs: list[int]  # marker numbers, in order


def split_sentences(text: str) -> list[Sentence]:
    """The answer cut into sentences, each with the markers it carries; joined back they give `text`."""
    out = []
    pos = 0
    while pos < len(text):
        m = _SENTENCE.match(text, pos)
        end = m.end() if m and m.end() > pos else len(text)
        piece = text[pos:end]
        out.append(Sentence(piece, [int(n) for n in _MARKER.findall(piece)]))
        pos = end
    return out


@dataclass
class Grounding:
    text: str
    kept_claims: int = 0  # sentences with a fact, kept (all grounded)
    cited_claims: int = 0  # of those, with a citation of their own
    removed: list[tuple[str, str]] = field(default_factory=list)  # (sentence, why)


def _break_left(removed: str, kept: list[str]) -> str:
    """The line or paragraph break a removed sentence ended with, when the kept text needs it."""
    breaks = removed.count("\n")
    if breaks >= 2:
        return "\n\n"
    if breaks == 1 and kept and not kept[-1].endswith("\n"):
        return "\n"
    return ""


class ClaimGrounder:
    """Checks sentences against numbered sources; `sources[n]` is the text of source [n]."""

    def __init__(self, sources: Mapping[int, str], advisor_facts: Sequence[str] = ()) -> None:
        self._sources = dict(sources)
        self._by_number = {n: Evidence.of([t]) for n, t in self._sources.items()}
        self._advisor = Evidence.of(list(advisor_facts))
        self._unions: dict[tuple[int, ...], Evidence] = {}
        self._verdicts: dict[tuple[str, tuple[int, ...]], Verdict] = {}

    def evidence(self, numbers: Sequence[int]) -> Evidence:
        key = tuple(sorted(set(n for n in numbers if n in self._by_number)))
        if key not in self._unions:
            evidence = self._advisor
            for n in key:
                evidence = evidence.union(self._by_number[n])
            self._unions[key] = evidence
        return self._unions[key]

    def verdict(self, sentence: str, numbers: Sequence[int], strict: bool = True) -> Verdict:
        key = (sentence, tuple(numbers))
        if key not in self._verdicts:
            self._verdicts[key] = self._judge(sentence, numbers, strict)
        return self._verdicts[key]

    def _judge(self, sentence: str, numbers: Sequence[int], strict: bool) -> Verdict:
        facts = extract_facts(_MARKER.sub("", sentence))
        if not facts.stated:
            return Verdict(True, False)
        valid = [n for n in numbers if n in self._by_number]
        if not valid:
            grounded = self._advisor_only(facts)  # only what the advisor itself decided may stand uncited
            return Verdict(grounded, True, "" if grounded else "a fact without a citation")
        missing = check_sentence(facts, sentence, self.evidence(valid))
        return Verdict(not missing, True, missing)

    def _advisor_only(self, facts: Facts) -> bool:
        """An uncited sentence may restate what the advisor decided (its notes), nothing from a source."""
        return bool(self._advisor.text) and not check_sentence(facts, "", self._advisor) and not facts.eligibility

    def ground(self, text: str, source_of_ref: Sequence[int] | None = None, strict: bool = True) -> Grounding:
        """`text` without the sentences that fail. Markers [r] name source `source_of_ref[r-1]`
        (or source r itself when `source_of_ref` is None)."""
        result = Grounding("")
        kept: list[str] = []
        paragraph_refs: list[int] = []
        for sentence in split_sentences(text):
            numbers = [self._source(r, source_of_ref) for r in sentence.refs]
            judged = numbers if (strict or numbers) else (paragraph_refs or list(self._by_number))
            verdict = self.verdict(sentence.text, judged, strict)
            if numbers:
                paragraph_refs = numbers
            if "\n\n" in sentence.text:
                paragraph_refs = []
            if not verdict.grounded:
                result.removed.append((sentence.text.strip(), verdict.reason))
                kept.append(_break_left(sentence.text, kept))
                continue
            kept.append(sentence.text)
            if verdict.stated:
                result.kept_claims += 1
                result.cited_claims += bool(numbers)
        result.text = re.sub(r"\n{3,}", "\n\n", "".join(kept))
        return result

    @staticmethod
    def _source(ref: int, source_of_ref: Sequence[int] | None) -> int:
        if source_of_ref is None:
            return ref
        return source_of_ref[ref - 1] if 1 <= ref <= len(source_of_ref) else -1

    def unsupported(self, text: str) -> tuple[int, int]:
        """(sentences stating a fact, those not found in their sources), in the evaluation's reading."""
        grounding = self.ground(text, strict=False)
        return grounding.kept_claims + len(grounding.removed), len(grounding.removed)
