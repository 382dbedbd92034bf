"""Scoring the outcomes: retrieval (hit@k, MRR), answer quality, refusals, latency, and per-row failures.

Text comparisons (facts, forbidden strings, quotes) ignore all whitespace, case
and full-width/half-width differences (NFKC), because the corpus mixes "，"
and "," and writes "20 万元" with spaces.

A metric whose denominator is empty (say, no calculation rows in a subset) is
None, shown as "—", and never fails the gate.

The metrics of the issue-12/11 kinds, each over the rows that carry its field:

- unit accuracy: every unit of `expect_units` is named in the answer text (the
  citation cards do not count: the founder reads the answer).
- unspecified accuracy: the answer says the text does not specify it, with
  one of UNSPECIFIED_PHRASES (Chinese or English), and contains no
  `forbidden` (invented) detail.
- part coverage: over all parts of multi-part rows, the share whose evidence
  clause is cited and whose facts are all in the answer.
- redirect accuracy: the expired policy is flagged with its end date *and*
  every `redirect` (in-force) clause is cited.
- overview recall: over overview rows, the share of expected clauses cited.
- unsupported-claim rate: sentences stating a fact not found in the sources
  they cite, over all sentences stating a fact (eval/claims.py); the LLM
  mode's promise is 0.
- language accuracy: the answer's own words (outside quotes, titles and
  brackets) are in `expect_language` (see `answer_language`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from eval.golden_set import KINDS, SPLITS, GoldenRow
from eval.outcome import OWN_RETRIEVERS, RETRIEVERS, CitedClause, RowOutcome


@dataclass(frozen=True)
class MetricInfo:
    label: str
    higher_is_better: bool = True
    percent: bool = True


METRICS: dict[str, MetricInfo] = {
    "hit_at_1": MetricInfo("hit@1"),
    "hit_at_3": MetricInfo("hit@3"),
    "hit_at_5": MetricInfo("hit@5"),
    "mrr": MetricInfo("MRR", percent=False),
    "fact_recall": MetricInfo("fact recall"),
    "citation_precision": MetricInfo("citation precision"),
    "expired_flag_accuracy": MetricInfo("expired-flag accuracy"),
    "refusal_precision": MetricInfo("refusal precision"),
    "refusal_recall": MetricInfo("refusal recall"),
    "refusal_accuracy": MetricInfo("refusal accuracy"),
    "injection_resistance": MetricInfo("injection resistance"),
    "calculation_accuracy": MetricInfo("calculation accuracy"),
    "unit_accuracy": MetricInfo("units named"),
    "unspecified_accuracy": MetricInfo("says unspecified"),
    "part_coverage": MetricInfo("parts answered"),
    "redirect_accuracy": MetricInfo("expired → in force"),
    "overview_recall": MetricInfo("overview recall"),
    "language_accuracy": MetricInfo("answer language"),
    "unsupported_claim_rate": MetricInfo("unsupported claims", higher_is_better=False),
    "pass_rate": MetricInfo("questions passing"),
    "latency_p50_ms": MetricInfo("latency p50 (ms)", higher_is_better=False, percent=False),
    "latency_p95_ms": MetricInfo("latency p95 (ms)", higher_is_better=False, percent=False),
}

# Why a row fails, in order of precedence: a row is listed under its first cause.
CAUSES: dict[str, str] = {
    "rejected": "the advisor rejected the question",
    "missed_refusal": "answered a question it should refuse",
    "false_refusal": "refused a question the documents answer",
    "retrieval_miss": "no expected evidence clause among the retrieved clauses",
    "forbidden": "the answer contains a forbidden string",
    "expired_flag": "expired policy not flagged with its end date",
    "no_redirect": "expired policy not redirected to the in-force clauses on its topic",
    "wrong_language": "answered in the wrong language",
    "missing_units": "the answer text does not name the responsible units",
    "no_unspecified": "does not say the text leaves the detail open",
    "missing_parts": "some parts of a multi-part question are unanswered",
    "missing_provisions": "the overview leaves out expected provisions",
    "missing_facts": "the answer lacks expected facts",
    "retrieval_rank": "expected evidence retrieved, but not first",
    "unsupported_citation": "cites a clause outside the expected evidence",
}

_SPACE = re.compile(r"\s+")
_EXPIRED_WORDS = ("已失效", "expired")

# What counts as "the policy text does not specify it". Whole phrases, so that a
# quoted clause (which never talks about itself) cannot match by accident.
UNSPECIFIED_PHRASES: tuple[str, ...] = (
    "未列明", "未规定", "未写明", "未明确", "未载明", "未提及", "未说明", "未涉及",
    "没有列明", "没有规定", "没有写明", "没有明确", "没有提及", "没有说明",
    "does not specify", "doesn't specify", "not specified", "does not say", "doesn't say", "does not list",
)
# Quoted or bracketed spans are the policy's words, not the answer's own.
_QUOTED = re.compile(r'「[^」]*」|“[^”]*”|《[^》]*》|（[^）]*）|\([^)]*\)|"[^"]*"|\[\d+\]')
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def normalized(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def contains(haystack: str, needle: str) -> bool:
    return normalized(needle) in normalized(haystack)


def contains_quote(chunk_text: str, quote: str) -> bool:
    """Quote containment that also ignores Markdown emphasis (the raw texts the baseline splits have `**`)."""
    return normalized(quote).replace("*", "") in normalized(chunk_text).replace("*", "")


def first_rank(flags: Iterable[bool]) -> int | None:
    """1-based position of the first True, or None."""
    return next((i for i, flag in enumerate(flags, start=1) if flag), None)


# --- per-row checks ----------------------------------------------------------------


def missing_facts(row: GoldenRow, answer: str) -> list[str]:
    return [fact for fact in row.facts if not contains(answer, fact)]


def forbidden_found(row: GoldenRow, answer: str) -> list[str]:
    return [word for word in row.forbidden if contains(answer, word)]


def unsupported_citations(row: GoldenRow, citations: Sequence[CitedClause]) -> list[CitedClause]:
    """Citations whose (doc_id, clause) is not among the row's expected evidence (answer rows only).

    On a question about an expired policy, the in-force clauses an answer cites after it are the
    redirect the answer owes the founder ("现行有效的相关政策"): they are not counted against it.
    Whether they are the right ones is the redirect metric's business, on rows that name them.

    An overview lists every provision in force that fits the founder; its expected evidence is the
    least it must list (overview recall), not all it may, so its citations are not counted here."""
    if row.expect_refusal or row.kind == "overview":
        return []
    expected = row.expected_clauses
    redirect_allowed = row.expect_expired
    return [
        c
        for c in citations
        if (c.doc_id, c.clause) not in expected and not (redirect_allowed and c.status == "in_force")
    ]


def _date_forms(iso: str) -> tuple[str, str]:
    year, month, day = (int(part) for part in iso.split("-"))
    return iso, f"{year}年{month}月{day}日"


def expired_flag_ok(answer: str, citations: Sequence[CitedClause]) -> bool:
    """An expired policy is cited, and the answer says so (已失效 / expired) with that policy's end date."""
    if not any(contains(answer, word) for word in _EXPIRED_WORDS):
        return False
    for citation in citations:
        if citation.status == "expired" and citation.valid_until:
            if any(contains(answer, form) for form in _date_forms(citation.valid_until)):
                return True
    return False


def injection_resisted(outcome: RowOutcome) -> bool:
    return not forbidden_found(outcome.row, outcome.answer) and outcome.refused == outcome.row.expect_refusal


def calculation_correct(outcome: RowOutcome) -> bool:
    return not outcome.refused and not outcome.error and not missing_facts(outcome.row, outcome.answer)


def _cited_keys(citations: Sequence[CitedClause]) -> set[tuple[str, str]]:
    return {(c.doc_id, c.clause) for c in citations}


def missing_units(row: GoldenRow, answer: str) -> list[str]:
    """Expected responsible units the answer text does not name."""
    return [unit for unit in row.expect_units if not contains(answer, unit)]


def says_unspecified(answer: str) -> bool:
    return any(contains(answer, phrase) for phrase in UNSPECIFIED_PHRASES)


def unspecified_ok(outcome: RowOutcome) -> bool:
    """Answered, says the text does not specify the detail, and invents none of the forbidden ones."""
    return not outcome.refused and not outcome.error and says_unspecified(outcome.answer) and not forbidden_found(outcome.row, outcome.answer)


def parts_answered(outcome: RowOutcome) -> list[bool]:
    """Per part of a multi-part row: one of its evidence clauses is cited and all its facts are in the answer."""
    cited = _cited_keys(outcome.citations)
    return [
        not outcome.refused and bool(part.expected_clauses & cited) and all(contains(outcome.answer, f) for f in part.facts)
        for part in outcome.row.parts
    ]


def missing_redirects(row: GoldenRow, citations: Sequence[CitedClause]) -> list[tuple[str, str]]:
    cited = _cited_keys(citations)
    return [e.key for e in row.redirect if e.key not in cited]


def redirect_ok(outcome: RowOutcome) -> bool:
    return expired_flag_ok(outcome.answer, outcome.citations) and not missing_redirects(outcome.row, outcome.citations)


def missing_provisions(row: GoldenRow, citations: Sequence[CitedClause]) -> list[tuple[str, str]]:
    """Expected clauses of an overview row that no citation names (distinct clauses, in the row's order)."""
    cited = _cited_keys(citations)
    return list(dict.fromkeys(e.key for e in row.evidence if e.key not in cited))


def answer_language(answer: str) -> str:
    """"zh" or "en": the language of the answer's own words, quotes, titles and brackets left out.

    Chinese characters are counted one by one, English words as words; the
    larger count wins (a tie, e.g. an empty answer, is "zh").
    """
    own = _QUOTED.sub(" ", unicodedata.normalize("NFC", answer))
    return "en" if len(_LATIN_WORD.findall(own)) > len(_CJK.findall(own)) else "zh"


def language_ok(outcome: RowOutcome) -> bool:
    expected = outcome.row.expect_language
    return expected is None or (not outcome.error and answer_language(outcome.answer) == expected)


@dataclass(frozen=True)
class Failure:
    cause: str
    detail: str


def row_failures(outcome: RowOutcome) -> list[Failure]:
    """Every way this row falls short, in the order of CAUSES."""
    row = outcome.row
    found: list[Failure] = []
    if outcome.error:
        return [Failure("rejected", outcome.error)]
    if row.expect_refusal and not outcome.refused:
        found.append(Failure("missed_refusal", "expected the refusal phrase, got an answer"))
    if not row.expect_refusal and outcome.refused:
        found.append(Failure("false_refusal", f"refused (evidence strength {outcome.strength:.2f})" if outcome.strength is not None else "refused"))
    rank = outcome.clause_rank.get("hybrid")
    if row.primary is not None:
        if rank is None:
            expected = "; ".join(_clause_name(e.key) for e in row.evidence)
            found.append(Failure("retrieval_miss", f"none of [{expected}] in {_names(outcome.retrieved)}"))
        elif rank > 1:
            found.append(Failure("retrieval_rank", f"first evidence clause at rank {rank}; first: {_names(outcome.retrieved[:1])}"))
    bad_words = forbidden_found(row, outcome.answer)
    if bad_words:
        found.append(Failure("forbidden", "contains " + ", ".join(repr(w) for w in bad_words)))
    if row.expect_expired and not expired_flag_ok(outcome.answer, outcome.citations):
        found.append(Failure("expired_flag", "no expired citation with 已失效/expired and its end date in the answer"))
    found += _kind_failures(outcome)
    missing = missing_facts(row, outcome.answer)
    if missing:
        found.append(Failure("missing_facts", "missing " + ", ".join(repr(f) for f in missing)))
    unsupported = unsupported_citations(row, outcome.citations)
    if unsupported and not outcome.refused:
        found.append(Failure("unsupported_citation", _names([(c.doc_id, c.clause) for c in unsupported])))
    order = list(CAUSES)
    return sorted(found, key=lambda f: order.index(f.cause))


def _kind_failures(outcome: RowOutcome) -> list[Failure]:
    """The checks of the fields the issue-12/11 kinds carry (a row without the field passes them)."""
    row, answer, found = outcome.row, outcome.answer, []
    if row.redirect and (absent := missing_redirects(row, outcome.citations)):
        found.append(Failure("no_redirect", "not cited: " + _names(absent)))
    if not language_ok(outcome):
        found.append(Failure("wrong_language", f"expected {row.expect_language}, answered in {answer_language(answer)}"))
    if units := missing_units(row, answer):
        found.append(Failure("missing_units", "answer text lacks " + ", ".join(units)))
    if row.expect_unspecified and not says_unspecified(answer):
        found.append(Failure("no_unspecified", "none of the phrases " + "/".join(UNSPECIFIED_PHRASES[:4]) + "…"))
    if row.parts and not all(answered := parts_answered(outcome)):
        missed = [str(i) for i, ok in enumerate(answered, start=1) if not ok]
        found.append(Failure("missing_parts", f"parts {', '.join(missed)} of {len(answered)} unanswered (evidence not cited or facts missing)"))
    if row.kind == "overview" and (absent := missing_provisions(row, outcome.citations)):
        found.append(Failure("missing_provisions", "not cited: " + _names(absent)))
    return found


def _clause_name(key: tuple[str, str]) -> str:
    return f"{key[0]} · {key[1]}"


def _names(keys: Iterable[tuple[str, str]]) -> str:
    return "[" + "; ".join(_clause_name(k) for k in keys) + "]"


# --- aggregates ----------------------------------------------------------------------


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def retrieval_scores(ranks: Sequence[int | None]) -> dict[str, float | int | None]:
    """hit@1/3/5 and MRR over 1-based ranks (None = not retrieved)."""
    n = len(ranks)
    scores: dict[str, float | int | None] = {"n": n}
    for k in (1, 3, 5):
        scores[f"hit_at_{k}"] = ratio(sum(1 for r in ranks if r is not None and r <= k), n)
    scores["mrr"] = ratio(sum(1.0 / r for r in ranks if r is not None), n)
    return scores


def answer_scores(outcomes: Sequence[RowOutcome]) -> dict[str, float | int | None]:
    facts_total = sum(len(o.row.facts) for o in outcomes)
    facts_found = sum(len(o.row.facts) - len(missing_facts(o.row, o.answer)) for o in outcomes)
    answer_rows = [o for o in outcomes if not o.row.expect_refusal and not o.refused]
    precise = [o for o in answer_rows if o.row.kind != "overview"]  # see unsupported_citations
    cited = sum(len(o.citations) for o in precise)
    supported = cited - sum(len(unsupported_citations(o.row, o.citations)) for o in precise)
    expired_rows = [o for o in outcomes if o.row.expect_expired]
    refused_right = sum(1 for o in outcomes if o.refused and o.row.expect_refusal)
    refused_total = sum(1 for o in outcomes if o.refused)
    refusal_expected = sum(1 for o in outcomes if o.row.expect_refusal)
    injection_rows = [o for o in outcomes if o.row.kind == "injection"]
    calculation_rows = [o for o in outcomes if o.row.kind == "calculation"]
    unit_rows = [o for o in outcomes if o.row.expect_units]
    unspecified_rows = [o for o in outcomes if o.row.expect_unspecified]
    parts = [ok for o in outcomes if o.row.parts for ok in parts_answered(o)]
    redirect_rows = [o for o in outcomes if o.row.redirect]
    overview_rows = [o for o in outcomes if o.row.kind == "overview"]
    overview_expected = sum(len({e.key for e in o.row.evidence}) for o in overview_rows)
    overview_missed = sum(len(missing_provisions(o.row, o.citations)) for o in overview_rows)
    language_rows = [o for o in outcomes if o.row.expect_language]
    latencies = [o.latency_ms for o in outcomes if o.latency_ms is not None]
    return {
        "n": len(outcomes),
        "fact_recall": ratio(facts_found, facts_total),
        "citation_precision": ratio(supported, cited),
        "expired_flag_accuracy": ratio(sum(expired_flag_ok(o.answer, o.citations) for o in expired_rows), len(expired_rows)),
        "refusal_precision": ratio(refused_right, refused_total),
        "refusal_recall": ratio(refused_right, refusal_expected),
        "refusal_accuracy": ratio(sum(o.refused == o.row.expect_refusal for o in outcomes), len(outcomes)),
        "injection_resistance": ratio(sum(injection_resisted(o) for o in injection_rows), len(injection_rows)),
        "calculation_accuracy": ratio(sum(calculation_correct(o) for o in calculation_rows), len(calculation_rows)),
        "unit_accuracy": ratio(sum(not o.refused and not missing_units(o.row, o.answer) for o in unit_rows), len(unit_rows)),
        "unspecified_accuracy": ratio(sum(unspecified_ok(o) for o in unspecified_rows), len(unspecified_rows)),
        "part_coverage": ratio(sum(parts), len(parts)),
        "redirect_accuracy": ratio(sum(redirect_ok(o) for o in redirect_rows), len(redirect_rows)),
        "overview_recall": ratio(overview_expected - overview_missed, overview_expected),
        "language_accuracy": ratio(sum(language_ok(o) for o in language_rows), len(language_rows)),
        "unsupported_claim_rate": ratio(sum(o.unsupported_claims for o in outcomes), sum(o.claims for o in outcomes)),
        "pass_rate": ratio(sum(not row_failures(o) for o in outcomes), len(outcomes)),
        "latency_p50_ms": float(np.percentile(latencies, 50)) if latencies else None,
        "latency_p95_ms": float(np.percentile(latencies, 95)) if latencies else None,
    }


def headline(outcomes: Sequence[RowOutcome]) -> dict[str, float | int | None]:
    """All gate metrics over a set of rows: hybrid retrieval by expected evidence clause, plus the answer metrics."""
    ranks = [o.clause_rank.get("hybrid") for o in outcomes if o.row.primary is not None and not o.error]
    retrieval = retrieval_scores(ranks)
    return {**answer_scores(outcomes), **{k: v for k, v in retrieval.items() if k != "n"}, "retrieval_n": retrieval["n"]}


def per_kind(outcomes: Sequence[RowOutcome]) -> dict[str, dict[str, float | int | None]]:
    return {kind: headline(rows) for kind in KINDS if (rows := [o for o in outcomes if o.row.kind == kind])}


def per_split(outcomes: Sequence[RowOutcome]) -> dict[str, dict]:
    """Per split ("tune", "test") present in the run: its headline metrics and its per-kind table."""
    table: dict[str, dict] = {}
    for split in SPLITS:
        rows = [o for o in outcomes if o.row.split == split]
        if rows:
            table[split] = {"metrics": headline(rows), "per_kind": per_kind(rows)}
    return table


def per_retriever(outcomes: Sequence[RowOutcome]) -> dict[str, dict[str, dict[str, float | int | None]]]:
    """Retrieval scores of each retriever, by evidence clause (own retrievers) and by evidence quote (all)."""
    rows = [o for o in outcomes if o.row.primary is not None and not o.error]
    table: dict[str, dict[str, dict[str, float | int | None]]] = {}
    for name in RETRIEVERS:
        if not any(name in o.quote_rank for o in rows):
            continue
        entry = {"quote": retrieval_scores([o.quote_rank.get(name) for o in rows])}
        if name in OWN_RETRIEVERS:
            entry["clause"] = retrieval_scores([o.clause_rank.get(name) for o in rows])
        table[name] = entry
    return table
