"""Draft provisions from a document's clauses by rules, for a maintainer to review.

The rules read each sentence that grants something (an amount, a rate, 免租, 免费, 券,
贷款, 担保 …) and fill what the wording makes plain: rate and its base, ceilings (per
grant and per year), fixed and per-unit amounts, tiers (分别给予), periods, quantities,
the responsible units of the clause's units line, and a guess of beneficiary, purpose and
form from keywords. Conditions and tier levels are left for the reviewer. The output is
TOML in the format of corpus/provisions/, so a draft is edited, not retyped; ingest then
checks it like any reviewed file. `eval/provision_drafts.py` measures how much it gets right.
"""

from __future__ import annotations

import json
import re

from ingest.provision_check import chinese_number, compact
from ingest.records import PolicyDoc

_UNITS_LINE = re.compile(r"[（(]责任单位[:：]([^）)]*)[）)]")
_SENTENCE = re.compile(r"[^。；;]+[。；;]?")
_GRANTS = re.compile(r"给予|补贴|补助|奖励|资助|支持|免租|免费|服务券|体验券|贷款|担保|补偿")
_BENEFIT = re.compile(r"\d\s*(?:万元|万|元)|\d\s*[%‰]|免租|免费|券|贷款|担保|风险补偿")
_NUMBER = r"(\d+(?:\.\d+)?)"
_RATE = re.compile(_NUMBER + r"\s*([%‰])")
_SHARE = re.compile(r"各承担\s*\d+\s*%")
_BASE = re.compile(r"(?:按照|按)(?:不超过|其)?([^，,。；、]{2,24}?)的?\s*(?:\d+(?:\.\d+)?\s*[%‰]|\d+[：:]\d+)")
_CEILING = re.compile(r"(最高|不超过)([^，,。；\d]{0,10}?)" + _NUMBER + r"\s*(万元|万|元)")
_AMOUNT = re.compile(r"(?:给予|资助|奖励|一次性)[^，,。；\d最]{0,8}?" + _NUMBER + r"\s*(万元|万|元)")
_PER_UNIT = re.compile(r"(每(?:个|张|家|平方米|人|月|笔)[^\d\s，,。；]{0,3}?)\s*" + _NUMBER + r"\s*(万元|元)")
_SINGLE = re.compile(r"(单个[^\d，,。；最]{1,4}|单笔贷款)")
_TIERS = re.compile(r"分别[^。；\d]{0,8}?给予[^。；\d]{0,10}?((?:\d+(?:\.\d+)?\s*万元、?){2,})")
_YEARS = re.compile(r"(?:期限不超过|最长|最高)\s*(\d+|[一二两三四五六七八九十]+)\s*年")
_QUANTITY = re.compile(r"(?:不少于|最长)\s*(\d+)\s*(卡时|天)")
_SCALE = {"万元": 1.0, "万": 1.0, "元": 0.0001}

FORM_WORDS = [
    ("风险补偿", "风险补偿"), ("担保贷款", "担保贷款"), ("贷款担保", "担保"), ("贷款", "贷款"), ("免租", "免租"),
    ("免费", "免费服务"), ("券", "券"), ("补贴", "补贴"), ("补助", "补助"), ("资助", "资助"), ("奖励", "奖励"),
]
PURPOSE_WORDS = [
    ("算力", "算力服务"), ("备案", "模型备案"), ("数据集", "数据集"), ("数据产品", "数据产品"), ("首版次", "首版次软件"),
    ("商品房", "购房"), ("租", "租房"), ("住宿", "住宿"), ("孵化器", "孵化器"), ("园区", "产业园区"), ("产业园", "产业园区"),
    ("生态社区", "生态社区"), ("场景", "应用场景"), ("担保贷款", "创业担保"), ("英才", "人才计划"), ("人才", "人才引进"),
    ("活动", "活动"), ("实验室", "创新平台"), ("创新平台", "创新平台"), ("平台", "服务平台"), ("模型", "模型研发"),
    ("研发投入", "研发投入"), ("科技计划", "科技项目"), ("揭榜", "技术攻关"), ("养老", "养老"), ("学科", "学科建设"),
    ("债券", "债券融资"), ("再融资", "再融资"), ("资产重组", "资产重组"), ("投资", "创业投资"), ("创业资助", "创业启动"),
    ("公共服务", "公共服务"),
]
BENEFICIARY_WORDS = [
    ("OPC创业者", "OPC人才"), ("OPC人才", "OPC人才"), ("创始人", "OPC人才"), ("OPC", "OPC"), ("中小企业", "中小企业"),
    ("小微企业", "中小企业"), ("初创企业", "初创企业"), ("运营", "运营方"), ("养老", "养老机构"), ("上市公司", "上市公司"),
    ("基金管理公司", "投资机构"), ("师生", "高校师生"), ("大学生", "大学生"), ("团队", "创新团队"), ("高校", "高校院所"),
    ("组织机构", "活动主办方"), ("举办", "活动主办方"), ("人才", "人才"), ("企业", "企业"),
]


def _first(words: list[tuple[str, str]], sentence: str, default: str) -> str:
    return next((value for word, value in words if word in sentence), default)


def _wan(number: str, unit: str) -> float:
    return round(float(number) * _SCALE[unit], 6)


def _units_by_sentence(clause_text: str) -> list[tuple[str, list[str]]]:
    """(sentence, responsible units) for each sentence; a units line covers the sentences before it."""
    pieces: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    position = 0
    for match in list(_UNITS_LINE.finditer(clause_text)) + [None]:
        end = match.start() if match else len(clause_text)
        block = clause_text[position:end]
        units = [u.strip() for u in re.split(r"[、，,]", match.group(1)) if u.strip()] if match else []
        units = [re.sub(r"〈.*", "", u) for u in units]
        sentences = [s.strip() for s in _SENTENCE.findall(block) if s.strip()]
        pending.extend(sentences)
        pieces.extend((s, units) for s in pending)
        pending = []
        position = match.end() if match else end
    return pieces


def draft_sentence(sentence: str, units: list[str]) -> dict | None:
    """The draft provision of one sentence, or None when it grants nothing the rules see."""
    text = compact(sentence)
    if not (_GRANTS.search(text) and _BENEFIT.search(_SHARE.sub("", text))):
        return None
    draft: dict = {"sentence": sentence, "beneficiaries": [_first(BENEFICIARY_WORDS, text, "企业")],
                   "purpose": _first(PURPOSE_WORDS, text, "?"), "form": _first(FORM_WORDS, text, "资金支持")}
    rates = [m for m in _RATE.finditer(_SHARE.sub("", text))]
    if rates:
        value = float(rates[0].group(1))
        draft["rate_percent"] = value / 10 if rates[0].group(2) == "‰" else value
        if base := _BASE.search(text):
            draft["base"] = base.group(1)
    tiers = _TIERS.search(text)
    if tiers:
        draft["tiers"] = [{"level": "?", "amount_wan": float(n)} for n in re.findall(_NUMBER + r"\s*万元", tiers.group(1))]
    for match in _CEILING.finditer(text):
        key = "cap_per_year_wan" if "年" in text[max(0, match.start() - 6) : match.start()] + match.group(2) else "cap_wan"
        draft.setdefault(key, _wan(match.group(3), match.group(4)))
    if per := _PER_UNIT.search(text):
        draft["per_unit"], draft["amount_wan"] = per.group(1), _wan(per.group(2), per.group(3))
    elif single := _SINGLE.search(text):
        draft["per_unit"] = single.group(1)
    amount = _AMOUNT.search(text)
    if amount and not ({"amount_wan", "tiers", "rate_percent"} & draft.keys()) and not text[: amount.start()].endswith("最高"):
        draft["amount_wan"] = _wan(amount.group(1), amount.group(2))  # "最高奖励50万元" is a ceiling, not an amount
    if years := _YEARS.search(text):
        draft["duration_years"] = chinese_number(years.group(1))
    if quantity := _QUANTITY.search(text):
        draft["quantity"], draft["quantity_unit"] = float(quantity.group(1)), quantity.group(2)
    draft["units"] = units
    return draft


def draft_clause(label: str, clause_text: str) -> list[dict]:
    drafts = []
    for sentence, units in _units_by_sentence(clause_text):
        if draft := draft_sentence(sentence, units):
            drafts.append({"clause": label, **draft})
    return drafts


def draft_document(doc: PolicyDoc) -> list[dict]:
    """Drafts for every clause of a `prepare_corpus` document record."""
    drafts: list[dict] = []
    for clause_text in doc.clause_texts():
        clause, body = clause_text.clause, clause_text.text
        heading = re.match(r"^[^。\n]{1,30}。", body)
        if heading and clause.kind in ("measure", "item"):  # "一、支持核心技术攻关。" grants nothing
            body = body[heading.end() :]
        drafts.extend(draft_clause(clause.label, body))
    return drafts


def _toml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, float):
        return f"{value:g}"
    return json.dumps(value, ensure_ascii=False)


def drafts_toml(doc_id: str, drafts: list[dict]) -> str:
    """TOML in the reviewed files' format; '?' marks what the reviewer must fill."""
    lines = [f"# Draft provisions of {doc_id}, by rules: review every field, add conditions and tier levels,", "# then save as corpus/provisions/<doc_id>.toml and run `policy-advisor ingest` to check it."]
    for draft in drafts:
        lines += ["", "[[provisions]]"] + [f"{key} = {_toml_value(value)}" for key, value in draft.items()]
    return "\n".join(lines) + "\n"
