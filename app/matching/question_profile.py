"""Read a founder's profile from the words of a question: who, where, what, and the figures.

"我们OPC今年在算力上花了40万，市里能补多少？" → identities OPC, activity 算力服务 with
40万元, and the words left over ("市里") still name policies. The vocabulary is data
(`profile_words.toml`) so a maintainer adds a word without touching code. Amounts are
read however founders write them: 30万 / 30万元 / 30 万 / 300000元 / 300,000 yuan, after
a spending word (买、用了、花了、投入、采购、支出 … spent, paid); a bare number is not a cost.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.matching.founder_profile import Activity, FounderProfile

WORDS_FILE = Path(__file__).with_name("profile_words.toml")
DEFAULT_IDENTITY = "企业"

_NUMBER = r"(\d[\d,，]*(?:\.\d+)?|[一二两三四五六七八九十]+)"
_SPEND = (
    r"(?:买了?|购买了?|采购了?|用了|花了?|花费了?|投入了?|投了|支出了?|付了|拨了?|拨付了?|费用|成本|经费|开销|总投入|投资了?|租了?"
    r"|spent|spend|spending|paid|pay|bought|buy|invested|invest|cost)"
)
_MONEY = re.compile(_SPEND + r"[^，。；;？?！!]{0,14}?" + _NUMBER + r"\s*(万元|万块|万|元|块钱|块|yuan|rmb|cny)", re.IGNORECASE)
_MONEY_FIRST = re.compile(r"(?:¥|￥)?" + _NUMBER + r"\s*(万元|万块|万|元|块钱|块|yuan|rmb|cny)[^，。,；;？?！!]{0,6}?(?:的)?(?:费用|成本|投入|支出)", re.IGNORECASE)
_COUNT = re.compile(r"(\d+|[两二三四五六七八九十]+)\s*(?:个|款|项|张)")  # "一家公司" is not a count
_AREA = re.compile(r"(\d+(?:\.\d+)?)\s*(?:平方米|平米|平|㎡|square met(?:re|er)s?|m2|sqm)", re.IGNORECASE)
_LEVELS = ("国家级", "省级", "市级", "区级")
_LEVEL_WORDS = {"国家级": r"国家级|国家", "省级": r"省级|省", "市级": r"市级", "区级": r"区级"}
_SEGMENT_END = re.compile(r"[。；;？?！!]|(?<!\d)[,，]|[,，](?!\d)")  # "300,000" stays whole
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class ProfileWords:
    identities: dict[str, list[re.Pattern]]
    districts: list[str]
    purposes: dict[str, list[re.Pattern]]
    families: dict[str, list[str]]
    forms: dict[str, list[re.Pattern]]
    form_groups: dict[str, list[str]]
    area_purpose: str


@lru_cache(maxsize=1)
def profile_words() -> ProfileWords:
    data = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))

    def compiled(table: dict[str, list[str]]) -> dict[str, list[re.Pattern]]:
        return {key: [re.compile(w, re.IGNORECASE) for w in words] for key, words in table.items()}

    return ProfileWords(
        compiled(data["identities"]), data["districts"]["names"], compiled(data["purposes"]), data["families"],
        compiled(data["forms"]), data["form_groups"], data["figures"]["area_purpose"],
    )


@dataclass
class QuestionProfile:
    """What a question says about the founder, and what it asks about."""

    profile: FounderProfile
    purposes: list[str] = field(default_factory=list)
    """Purposes the question names (an overview's topic), families expanded."""
    forms: list[str] = field(default_factory=list)
    """Forms of support it asks about (补贴 → the money forms …); empty: any."""
    named_text: str = ""
    """The question without its identity and registration words: what is left to name a policy (市里, 洪山区的)."""
    identities_stated: bool = False
    """Whether the question names who the founder is (else 企业 is assumed)."""

    @property
    def has_figures(self) -> bool:
        return any(a.amount_wan is not None or a.count is not None or a.area_m2 is not None or a.level for a in self.profile.activities)


def _find(patterns: dict[str, list[re.Pattern]], text: str) -> tuple[list[tuple[int, str]], str]:
    """(position, key) of every key whose words occur, and the text with those words blanked out."""
    found: list[tuple[int, str]] = []
    for key, words in patterns.items():
        for pattern in words:
            for match in pattern.finditer(text):
                found.append((match.start(), key))
                text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
    return sorted(found), text


def _number(text: str) -> float:
    text = text.replace(",", "").replace("，", "")
    if text[0].isdigit():
        return float(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return float((_CHINESE_DIGITS.get(tens, 1) if tens else 1) * 10 + _CHINESE_DIGITS.get(ones, 0))
    return float(_CHINESE_DIGITS.get(text, 0))


def to_wan(number: str, unit: str) -> float:
    """An amount in 万元, whatever unit the founder wrote."""
    value = _number(number)
    return value if unit.startswith("万") else value / 10000


def parse_amount_wan(text: str) -> float:
    """A CLI or form amount: "40" (万元), "40万", "400000元", "300,000 yuan"."""
    match = re.fullmatch(r"\s*(?:¥|￥)?" + _NUMBER + r"\s*(万元|万块|万|元|块钱|块|yuan|rmb|cny)?\s*", text, re.IGNORECASE)
    if not match:
        raise ValueError(f"{text!r} is not an amount (write 40, 40万, 400000元 or 300,000 yuan)")
    return to_wan(match.group(1), match.group(2) or "万元")


def _district(text: str, names: list[str]) -> tuple[str | None, bool, str]:
    """(district, named as the place of registration, text without the registration words)."""
    alternatives = "|".join(map(re.escape, names))
    registered = re.search(rf"在({alternatives})区?", text)
    if registered:
        blank = " " * (registered.end() - registered.start())
        return registered.group(1) + "区", True, text[: registered.start()] + blank + text[registered.end() :]
    named = re.search(rf"({alternatives})区?", text)
    return (named.group(1) + "区" if named else None), False, text


def _segment_figures(segment: str) -> dict:
    figures: dict = {}
    if money := (_MONEY.search(segment) or _MONEY_FIRST.search(segment)):
        figures["amount_wan"] = to_wan(money.group(1), money.group(2))
    if area := _AREA.search(segment):
        figures["area_m2"] = float(area.group(1))
    money_span = money.span() if money else (0, 0)
    for count in _COUNT.finditer(segment):
        if not (money_span[0] <= count.start() < money_span[1]):
            figures["count"] = int(_number(count.group(1)))
            break
    levels = [(m.start(), level) for level in _LEVELS for m in re.finditer(_LEVEL_WORDS[level], segment)]
    if levels:
        ordered = [level for _, level in sorted(levels)]
        figures["level"] = ordered[-1]  # "省级…拿过奖励后又进了国家级目录": the level reached comes last
        if len(set(ordered)) > 1:
            figures["previous_level"] = ordered[0]
    return figures


def _activities(question: str, words: ProfileWords) -> list[Activity]:
    """One activity per purpose named in a clause of the question that gives a figure."""
    activities: dict[str, Activity] = {}
    question_purposes = [p for _, p in _find(words.purposes, question)[0]]
    for segment in filter(str.strip, _SEGMENT_END.split(question)):
        figures = _segment_figures(segment)
        if not figures:
            continue
        purposes = [p for _, p in _find(words.purposes, segment)[0]] or question_purposes
        if not purposes and "area_m2" in figures:
            purposes = [words.area_purpose]
        for purpose in dict.fromkeys(purposes):
            known = activities.get(purpose)
            earlier = known.model_dump(exclude_none=True, exclude={"purpose"}) if known else {}
            if earlier.get("level") and figures.get("level") and earlier["level"] != figures["level"]:
                figures.setdefault("previous_level", earlier["level"])  # "先入选了省级…又进了国家级目录"
            activities[purpose] = Activity(purpose=purpose, **{**earlier, **figures})
    return list(activities.values())


def read_question(question: str) -> QuestionProfile:
    """The profile a question describes, its topic, and the words left to name policies."""
    words = profile_words()
    district, _, rest = _district(question, words.districts)
    found, rest = _find(words.identities, rest)
    identities = list(dict.fromkeys(key for _, key in found))
    purposes = list(dict.fromkeys(p for _, p in _find(words.purposes, question)[0]))
    for family in words.families.values():
        if set(family) & set(purposes):
            purposes += [p for p in family if p not in purposes]
    forms = [form for group, patterns in words.forms.items() if any(p.search(question) for p in patterns) for form in words.form_groups[group]]
    profile = FounderProfile(
        identities=identities or [DEFAULT_IDENTITY],
        district=district,
        activities=_activities(question, words),
    )
    return QuestionProfile(profile, purposes, list(dict.fromkeys(forms)), rest, bool(identities))


def resolve_purpose(word: str) -> str:
    """A purpose as a founder or a flag writes it (算力, 备案, 房子 …) → the provisions' purpose word."""
    from ingest.provisions import PURPOSES

    if word in PURPOSES:
        return word
    found = _find(profile_words().purposes, word)[0]
    if not found:
        raise ValueError(f"unknown purpose {word!r} (known: {', '.join(sorted(PURPOSES))})")
    return found[0][1]
