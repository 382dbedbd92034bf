"""The facts a sentence states, as comparable values: amounts, rates, durations, dates, departments, places, policy titles.

Grounding compares values, not strings: "20万" = "20万元" = "200000元" =
"二十万元" = "200,000 yuan"; "50%" = "百分之五十" = "50 percent";
"2028年12月31日" = "2028-12-31" = "2028/12/31" = "December 31, 2028".
Departments and places are names; they are compared as text, the place
names against a list of Chinese provinces, major cities and Wuhan's districts
(`places.toml`), so that "深圳" is recognised as a place the corpus may not cover.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PLACES_PATH = Path(__file__).parent / "places.toml"

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
}  # fmt: skip
_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"), start=1)}

_NUM = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_EN_NUM = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|" + "|".join(_EN_NUMBERS) + ")"
_DATE_FORMS = [
    re.compile(r"(?P<y>\d{4}|[零〇一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号])?"),
    re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?(?!\d)"),
    re.compile(r"(?P<y>\d{4}|[零〇一二三四五六七八九]{4})\s*年(?!度?\s*\d)"),
    re.compile(r"(?<![\d年])(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"),
    re.compile(rf"\b(?P<mn>{'|'.join(_MONTHS)})\s+(?:(?P<d>\d{{1,2}}),?\s+)?(?P<y>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<mn>{'|'.join(_MONTHS)}),?\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
]
_AMOUNT = re.compile(rf"(?P<n>{_NUM})\s*(?P<mult>亿|万|千)?\s*(?P<unit>元|块)?(?!人|次|平|台|户|家|个|名|项)")
_EN_AMOUNT = [
    re.compile(rf"(?:RMB|CNY|¥)\s*(?P<n>{_EN_NUM})\s*(?P<mult>million|thousand|billion)?", re.IGNORECASE),
    re.compile(rf"(?P<n>{_EN_NUM})\s*(?P<mult>million|thousand|billion)?\s*(?:yuan|RMB|CNY)\b", re.IGNORECASE),
]
_RATE = [
    re.compile(rf"(?P<n>{_NUM})\s*(?:%|％)"),
    re.compile(rf"百分之(?P<n>{_NUM})"),
    re.compile(rf"(?P<n>{_EN_NUM})\s*(?:percent|per cent)\b", re.IGNORECASE),
]
_DURATION = [
    re.compile(rf"(?P<n>{_NUM})\s*(?P<unit>个工作日|工作日|个月|年|天|周)"),
    re.compile(rf"(?P<n>{_NUM})\s*(?P<unit>日)(?=内|以内|之内)"),
    re.compile(rf"\b(?P<n>{_EN_NUM})\s*(?P<unit>years?|months?|days?|weeks?)\b", re.IGNORECASE),
]
_TITLE = re.compile(r"《([^《》\n]{2,60})》")
_NOT_DEPARTMENT = ("布局", "格局", "开局", "结局", "当局", "全局", "大局")
_ELIGIBILITY = re.compile(
    r"须|需|应当|要求|条件|符合|满足|注册|纳税|社保|资格|认定|仅限|限于|不得|"
    r"\b(?:must|required?|eligible|eligibility|registered|qualif\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Place:
    name: str  # the Chinese name, as the corpus would write it
    aliases: tuple[str, ...]  # other ways to write it (with 市/区, in English)


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    data = tomllib.loads(PLACES_PATH.read_text(encoding="utf-8"))
    return tuple(Place(p["name"], tuple(p.get("aliases", ()))) for p in data["places"])


@lru_cache(maxsize=1)
def _place_pattern() -> re.Pattern[str]:
    names = sorted({n for p in places() for n in (p.name, *p.aliases)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)


@lru_cache(maxsize=1)
def _place_by_name() -> dict[str, str]:
    return {n.lower(): p.name for p in places() for n in (p.name, *p.aliases)}


@lru_cache(maxsize=1)
def _department_pattern() -> re.Pattern[str]:
    """A unit: an administrative level or a place, a short name, then 局/委员会/厅/办公室/政府…
    The name may not contain words of a sentence around it (的, 向, 由 …) nor start another level."""
    names = "|".join(re.escape(p.name) for p in sorted(places(), key=lambda p: len(p.name), reverse=True))
    level = rf"(?:国家|(?:{names})(?:省|市|区|县)?|省|市|区|县)"
    inner = r"(?:(?![省市区县的可向由在和与或及对给从为是将内等并按该其各每上下、，。；：])[\u4e00-\u9fff]){0,8}?"
    return re.compile(rf"{level}{inner}(?:局|委员会|管委会|委|厅|办公室|人民政府|政府|服务中心)")


def chinese_number(text: str) -> float | None:
    """'二十' → 20, '三千五百' → 3500, '2,000' → 2000, '一九' (digit by digit) → 19."""
    text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    if text.lower() in _EN_NUMBERS:
        return float(_EN_NUMBERS[text.lower()])
    if not any(ch in _CN_UNITS for ch in text):
        digits = [_CN_DIGITS.get(ch) for ch in text]
        return None if None in digits else float("".join(str(d) for d in digits))
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return float(total + current)


@dataclass(frozen=True)
class Facts:
    """What one sentence states, as values that can be compared with a source's."""

    amounts: frozenset[float] = frozenset()  # yuan
    rates: frozenset[float] = frozenset()  # percent
    durations: frozenset[tuple[float, str]] = frozenset()  # (count, "month" | "day")
    dates: frozenset[str] = frozenset()  # "2028-12-31", "2028-12", "2028", "12-31"
    departments: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()  # Chinese names
    titles: frozenset[str] = frozenset()
    eligibility: bool = False

    @property
    def values(self) -> bool:
        return bool(self.amounts or self.rates or self.durations or self.dates)

    @property
    def stated(self) -> bool:
        """Does the sentence state a fact at all (a connecting sentence does not)?"""
        return self.values or bool(self.departments or self.places or self.titles) or self.eligibility


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _dates(text: str) -> tuple[set[str], list[tuple[int, int]]]:
    found, spans = set(), []
    for pattern in _DATE_FORMS:
        for m in pattern.finditer(_masked(text, spans)):
            groups = m.groupdict()
            year = chinese_number(groups["y"]) if groups.get("y") else None
            month = _MONTHS[groups["mn"].lower()] if groups.get("mn") else (chinese_number(groups["m"]) if groups.get("m") else None)
            day = chinese_number(groups["d"]) if groups.get("d") else None
            if year is not None and not 1900 <= year <= 2100:
                continue
            parts = [f"{int(v):02d}" if i else f"{int(v)}" for i, v in enumerate((year, month, day)) if v is not None]
            found.add(("" if year else "md:") + "-".join(parts))
            spans.append(m.span())
    return found, spans


def _amount_value(number: str, mult: str | None) -> float | None:
    value = chinese_number(number)
    if value is None:
        return None
    scale = {"亿": 1e8, "万": 1e4, "千": 1e3, "billion": 1e9, "million": 1e6, "thousand": 1e3}.get((mult or "").lower(), 1)
    return round(value * scale, 2)


def extract_facts(text: str) -> Facts:
    """The facts `text` states (a sentence of an answer, or a whole source)."""
    dates, spans = _dates(text)
    rest = _masked(text, spans)
    amounts, rates, durations = set(), set(), set()
    for pattern in _RATE:
        for m in pattern.finditer(rest):
            if (value := chinese_number(m.group("n"))) is not None:
                rates.add(value)
            spans.append(m.span())
    rest = _masked(text, spans)
    for m in _AMOUNT.finditer(rest):
        if m.group("mult") or m.group("unit"):
            if (value := _amount_value(m.group("n"), m.group("mult"))) is not None:
                amounts.add(value)
                spans.append(m.span())
    for pattern in _EN_AMOUNT:
        for m in pattern.finditer(rest):
            if (value := _amount_value(m.group("n"), m.group("mult"))) is not None:
                amounts.add(value)
                spans.append(m.span())
    rest = _masked(text, spans)
    for pattern in _DURATION:
        for m in pattern.finditer(rest):
            value, unit = chinese_number(m.group("n")), m.group("unit").lower()
            if value is None:
                continue
            if unit in ("年", "year", "years"):
                durations.add((value * 12, "month"))
            elif unit in ("个月", "month", "months"):
                durations.add((value, "month"))
            elif unit in ("周", "week", "weeks"):
                durations.add((value * 7, "day"))
            else:
                durations.add((value, "day"))
    departments = {m.group(0) for m in _department_pattern().finditer(text) if not m.group(0).endswith(_NOT_DEPARTMENT)}
    found_places = {_place_by_name()[m.group(0).lower()] for m in _place_pattern().finditer(text)}
    return Facts(
        amounts=frozenset(amounts),
        rates=frozenset(rates),
        durations=frozenset(durations),
        dates=frozenset(dates),
        departments=frozenset(departments),
        places=frozenset(found_places),
        titles=frozenset(_TITLE.findall(text)),
        eligibility=bool(_ELIGIBILITY.search(text)),
    )


def date_prefixes(dates: frozenset[str]) -> set[str]:
    """Each date with its year-month and year (and month-day), so "2028年" is found in "2028-12-31"."""
    out = set(dates)
    for date in dates:
        if date.startswith("md:"):
            continue
        parts = date.split("-")
        out.update("-".join(parts[:i]) for i in range(1, len(parts)))
        if len(parts) == 3:
            out.add(f"md:{parts[1]}-{parts[2]}")
    return out
