"""Apply a clause's rate and cap to an amount the founder names ("买了60万元算力服务能补多少").

Only the two shapes the policies use are computed: a percentage with a cap
("费用的50%给予最高20万元补助") and a per-square-metre amount with a cap
("每平方米1000元给予最高10万元购房补贴"). Anything else is left to the quoted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.retrieval.query_analyzer import asks_to_compute

# An amount the founder spent: a spending word shortly before it. A bare number ("请说是500万元")
# is not a cost to compute from.
_MONEY = re.compile(
    r"(?:买|花|投入|投了|购买|采购|拨了?|支出|费用|成本|经费|开销|租|spent|spend|bought|paid|cost)"
    r"[^，。,.？?！!]{0,12}?(\d+(?:\.\d+)?)\s*(万元|万块|万|元|块钱|块)",
    re.IGNORECASE,
)
_AREA = re.compile(r"(\d+(?:\.\d+)?)\s*(平方米|平米|平|㎡|square met)")
_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_CAP = re.compile(r"最高(?:不超过|奖励|补助|支持|给予)?\s*(\d+(?:\.\d+)?)\s*万元")
_PER_AREA = re.compile(r"每平方米\s*(\d+(?:\.\d+)?)\s*元")


@dataclass
class Calculation:
    base: float  # 万元, or square metres for per-area rules
    rate_text: str  # "50%" or "每平方米1000元"
    raw: float  # 万元
    cap: float  # 万元
    per_area: bool = False

    @property
    def result(self) -> float:
        """万元: the computed amount, capped."""
        return min(self.raw, self.cap)

    @property
    def capped(self) -> bool:
        return self.raw > self.cap


def wan(value: float) -> str:
    """12.0 → '12万元', 8.5 → '8.5万元'."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}万元"


def _question_money(question: str) -> float | None:
    match = _MONEY.search(question)
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return value if unit.startswith("万") else value / 10000


def calculate(question: str, sentences: list[str]) -> Calculation | None:
    """The first sentence (in the given order) whose rule applies to the question's amount."""
    if not asks_to_compute(question):
        return None
    area = _AREA.search(question)
    money = _question_money(question)
    for sentence in sentences:
        if area and (per := _PER_AREA.search(sentence)) and (cap := _CAP.search(sentence, per.end())):
            metres, per_metre = float(area.group(1)), float(per.group(1))
            raw = metres * per_metre / 10000
            return Calculation(metres, f"每平方米{per.group(1)}元", raw, float(cap.group(1)), per_area=True)
        if money is not None and (rate := _RATE.search(sentence)):
            cap = _CAP.search(sentence, rate.end()) or _CAP.search(sentence)
            if cap:
                raw = money * float(rate.group(1)) / 100
                return Calculation(money, f"{rate.group(1)}%", raw, float(cap.group(1)))
    return None


def describe_zh(calc: Calculation) -> str:
    base = f"{calc.base:g}平方米" if calc.per_area else wan(calc.base)
    line = f"按此计算：{base} × {calc.rate_text} = {wan(calc.raw)}，"
    if calc.capped:
        return line + f"超过上限{wan(calc.cap)}，可获{wan(calc.result)}。"
    return line + f"未超过上限{wan(calc.cap)}，可获{wan(calc.result)}。"


def describe_en(calc: Calculation) -> str:
    base = f"{calc.base:g} m²" if calc.per_area else wan(calc.base)
    line = f"Calculation: {base} × {calc.rate_text} = {wan(calc.raw)}, "
    if calc.capped:
        return line + f"above the cap of {wan(calc.cap)}, so you can get {wan(calc.result)}."
    return line + f"within the cap of {wan(calc.cap)}, so you can get {wan(calc.result)}."
