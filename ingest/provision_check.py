"""Check reviewed provisions against the cleaned clauses they quote.

A provision is only trusted if the text says what it says: its sentence must occur
verbatim in its clause, every amount, rate, period and quantity in the record must occur
in that sentence (compared as values: 20万 = 20万元 = 200000元, "100 万元" = "100万元",
5‰ = 0.5%, 1：1 = 100%), every quoted word (base, per_unit, conditions, tier levels) must
occur in the sentence, and every responsible unit in the clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ingest.provisions import Provision, ProvisionError, problem_message, load_corpus_provisions, provisions_dir
from ingest.records import PolicyDoc

_NUMBER = r"(\d+(?:\.\d+)?)"
_MONEY = re.compile(_NUMBER + r"(?:[—\-－~～至到]" + _NUMBER + r")?(亿元|万元|万|元)")
_PERCENT = re.compile(_NUMBER + r"[%％]")
_PER_MILLE = re.compile(_NUMBER + r"‰")
_RATIO = re.compile(r"(\d+)[：:](\d+)")
_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHINESE_NUMBER = "[零一二两三四五六七八九十]+"
_YEARS = re.compile(r"(\d+(?:\.\d+)?|" + _CHINESE_NUMBER + r")年")
_ANY_NUMBER = re.compile(r"\d+(?:\.\d+)?|" + _CHINESE_NUMBER)
_UNIT_SCALE = {"亿元": 10000.0, "万元": 1.0, "万": 1.0, "元": 0.0001}


def compact(text: str) -> str:
    """The text without whitespace: "100 万元" and "100万元" compare equal."""
    return re.sub(r"\s+", "", text)


def chinese_number(text: str) -> float | None:
    """一 … 九十九 as a number (三 → 3, 十二 → 12); None for anything else."""
    if text.isdigit() or re.fullmatch(r"\d+\.\d+", text):
        return float(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        value = (_CHINESE_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CHINESE_DIGITS.get(ones, 0) if ones else 0)
        return float(value) if (not tens or tens in _CHINESE_DIGITS) and (not ones or ones in _CHINESE_DIGITS) else None
    if len(text) == 1 and text in _CHINESE_DIGITS:
        return float(_CHINESE_DIGITS[text])
    return None


def money_values(sentence: str) -> list[float]:
    """Every amount of money in the sentence, in 万元 (a range gives both ends)."""
    values = []
    for match in _MONEY.finditer(compact(sentence)):
        scale = _UNIT_SCALE[match.group(3)]
        values.extend(float(n) * scale for n in match.group(1, 2) if n)
    return values


def rate_values(sentence: str) -> list[float]:
    """Every rate in the sentence, in percent (5‰ → 0.5, 1：1 → 100)."""
    text = compact(sentence)
    values = [float(m.group(1)) for m in _PERCENT.finditer(text)]
    values += [float(m.group(1)) / 10 for m in _PER_MILLE.finditer(text)]
    values += [int(m.group(1)) / int(m.group(2)) * 100 for m in _RATIO.finditer(text) if int(m.group(2))]
    return values


def year_values(sentence: str) -> list[float]:
    return [v for m in _YEARS.finditer(compact(sentence)) if (v := chinese_number(m.group(1))) is not None]


def number_values(sentence: str) -> list[float]:
    return [v for m in _ANY_NUMBER.finditer(compact(sentence)) if (v := chinese_number(m.group(0))) is not None]


def _among(value: float, values: Iterable[float]) -> bool:
    return any(abs(value - v) <= 1e-9 * max(1.0, abs(v)) for v in values)


def _wan(value: float) -> str:
    return f"{value:g}万元"


def provision_problems(provision: Provision, clause_text: str) -> list[str]:
    """What in one provision its clause does not say; each problem names its field."""
    problems: list[str] = []
    sentence = provision.sentence
    if sentence not in clause_text:
        problems.append("sentence: does not occur in the clause text")
    money = money_values(sentence)
    for field, value in provision.amount_values.items():
        if not _among(value, money):
            problems.append(f"{field}: {_wan(value)} does not occur in the sentence (amounts there: {', '.join(map(_wan, money)) or 'none'})")
    if provision.rate_percent is not None and not _among(provision.rate_percent, rate_values(sentence)):
        problems.append(f"rate_percent: {provision.rate_percent:g}% does not occur in the sentence")
    if provision.duration_years is not None and not _among(provision.duration_years, year_values(sentence)):
        problems.append(f"duration_years: {provision.duration_years:g}年 does not occur in the sentence")
    if provision.quantity is not None and not _among(provision.quantity, number_values(sentence)):
        problems.append(f"quantity: {provision.quantity:g} does not occur in the sentence")
    quoted = {"base": provision.base, "per_unit": provision.per_unit, "quantity_unit": provision.quantity_unit}
    quoted |= {f"conditions[{i}]": c for i, c in enumerate(provision.conditions)}
    quoted |= {f"tiers[{i}].level": t.level for i, t in enumerate(provision.tiers)}
    for field, words in quoted.items():
        if words is not None and compact(words) not in compact(sentence):
            problems.append(f"{field}: {words!r} does not occur in the sentence")
    for i, unit in enumerate(provision.units):
        if unit not in clause_text:
            problems.append(f"units[{i}]: {unit!r} does not occur in the clause")
    return problems


def check_provisions(provisions: list[Provision], docs: list[PolicyDoc]) -> list[str]:
    """Problems of every provision against the cleaned documents (`prepare_corpus` records)."""
    clauses = {(d.id, c.clause.label): c.text for d in docs for c in d.clause_texts()}
    doc_ids = {d.id for d in docs}
    problems: list[str] = []
    positions: dict[str, int] = {}
    for provision in provisions:
        positions[provision.doc_id] = positions.get(provision.doc_id, 0) + 1
        where = f"[{provision.doc_id}] {provision.clause} (provision #{positions[provision.doc_id]})"
        if provision.doc_id not in doc_ids:
            problems.append(f"{where} doc_id: no document {provision.doc_id!r} in the manifest")
            continue
        clause_text = clauses.get((provision.doc_id, provision.clause))
        if clause_text is None:
            problems.append(f"{where} clause: no clause labelled {provision.clause!r} in this document")
            continue
        problems.extend(f"{where} {problem}" for problem in provision_problems(provision, clause_text))
    return problems


def checked_provisions(corpus_dir: Path, docs: list[PolicyDoc]) -> list[Provision]:
    """The corpus's reviewed provisions, or ProvisionError naming every one that its text does not bear out."""
    provisions = load_corpus_provisions(corpus_dir)
    problems = check_provisions(provisions, docs)
    if problems:
        raise ProvisionError(problem_message(problems) + f" (fix {provisions_dir(corpus_dir)})")
    return provisions
