"""Provisions: what each clause grants, as reviewed data (corpus/provisions/<doc_id>.toml).

A provision is one benefit a clause grants — who it is for, what it is for, its form,
its amount rule, period, conditions and responsible units — together with the exact
sentence it comes from. Maintainers review these files; ingest checks every number in
them against the sentence (`ingest.provision_check`) before they reach the index.

Amount rules are expressed by which fields are set:
- fixed amount: `amount_wan`
- rate × base with a cap: `rate_percent`, `base`, `cap_wan`
- per unit (per model, per square metre, per month …): `per_unit` with `amount_wan` as
  the amount per unit, optionally `cap_wan` (per grant) and `cap_per_year_wan`
- tiers by level: `tiers` (level → amount), `tier_difference` when a promotion to a
  higher level pays only the difference (逐级认定的给予差额奖励)
- range: `floor_wan` … `cap_wan`
- a ceiling only: `cap_wan` ("最高100万元")
Whether a provision is in force is not stored: it follows from its document's dates.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from ingest.index_store import IndexBrokenError
from policy_core.errors import AdvisorError

PROVISIONS_DIR_NAME = "provisions"
PROVISIONS_FILE = "provisions.json"  # written into each index version folder

# Who a provision is for. Matching maps a founder's identities onto these words.
BENEFICIARIES = {
    "企业": "any firm",
    "中小企业": "small and medium firm (中小企业, 小微企业)",
    "初创企业": "start-up",
    "OPC": "AI one-person company (人工智能OPC) as an entity",
    "OPC人才": "a person founding, running or working in an OPC (创业者, 创始人及高管, OPC人才)",
    "人才": "an individual talent",
    "创新团队": "a research or start-up team",
    "高校师生": "university teachers and students starting up",
    "大学生": "university students",
    "高校院所": "universities and research institutes",
    "运营方": "operator of an incubator, park, community or platform",
    "活动主办方": "organiser of an event",
    "金融机构": "bank, guarantor or insurer",
    "投资机构": "investment fund or its manager",
    "上市公司": "listed or NEEQ-quoted company",
    "养老机构": "elderly-care institution",
}

# What a provision is for; provisions of the same purpose across policies fall under 就高不重复.
PURPOSES = {
    "算力服务", "模型备案", "模型研发", "模型应用", "数据集", "数据产品", "科技项目", "技术攻关", "技术标准",
    "创新平台", "服务平台", "开源平台", "孵化器", "产业园区", "生态社区", "办公场地", "首版次软件", "应用场景",
    "智能化改造", "人才计划", "人才引进", "住宿", "租房", "购房", "创业启动", "创业担保", "信用贷款", "贷款担保",
    "贷款风险", "投资基金", "投资保险", "创业投资", "资产重组", "再融资", "债券融资", "研发投入", "研发服务",
    "公共服务", "活动", "AI产品体验", "养老", "学科建设", "创新团队", "专题研究", "科技专项资金",
}

# The form of the benefit, as the text names it.
FORMS = {
    "补贴", "补助", "奖励", "资助", "资金支持", "券", "免租", "场地支持", "股权投资", "贷款", "担保贷款", "担保",
    "保险", "风险补偿", "免费服务", "税收优惠", "组合支持",
}


class Tier(BaseModel):
    """One level of a tiered amount: the level as the sentence words it, and its amount."""

    model_config = ConfigDict(extra="forbid")

    level: str = Field(min_length=1, description="The level exactly as in the sentence, e.g. 国家级, 30个.")
    amount_wan: float = Field(gt=0)


class Provision(BaseModel):
    """One benefit a clause grants, tied to the exact sentence that grants it."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    clause: str = Field(min_length=1, description="The clause label as the index gives it.")
    sentence: str = Field(min_length=4, description="An exact substring of the clause text.")
    beneficiaries: list[str] = Field(min_length=1)
    purpose: str
    form: str
    rate_percent: float | None = Field(None, gt=0, description="Share of `base` granted (5‰ is 0.5).")
    base: str | None = Field(None, description="What the rate applies to, quoted from the sentence.")
    cap_wan: float | None = Field(None, gt=0, description="Ceiling of one grant, 万元.")
    floor_wan: float | None = Field(None, gt=0, description="Lower end of a range (100—500万元), 万元.")
    amount_wan: float | None = Field(None, gt=0, description="Fixed amount, 万元; per unit when `per_unit` is set.")
    per_unit: str | None = Field(None, description="The unit an amount or cap is counted per, quoted: 每个模型, 每平方米.")
    cap_per_year_wan: float | None = Field(None, gt=0, description="Ceiling per beneficiary per year, 万元.")
    duration_years: float | None = Field(None, gt=0, description="How many years the benefit runs (最长/不超过).")
    quantity: float | None = Field(None, gt=0, description="A non-money quantity granted, e.g. 2000 (卡时), 15 (天).")
    quantity_unit: str | None = None
    tiers: list[Tier] = Field(default_factory=list)
    tier_difference: bool = Field(False, description="A promotion to a higher tier pays the difference (差额).")
    units: list[str] = Field(default_factory=list, description="Responsible units, as the clause names them.")
    conditions: list[str] = Field(default_factory=list, description="Eligibility conditions quoted from the sentence.")
    note: str = ""

    @field_validator("beneficiaries")
    @classmethod
    def _known_beneficiaries(cls, value: list[str]) -> list[str]:
        unknown = [b for b in value if b not in BENEFICIARIES]
        if unknown:
            raise ValueError(f"unknown beneficiary {', '.join(unknown)} (known: {', '.join(BENEFICIARIES)})")
        return value

    @field_validator("purpose", "form")
    @classmethod
    def _known_word(cls, value: str, info: ValidationInfo) -> str:
        vocabulary = PURPOSES if info.field_name == "purpose" else FORMS
        if value not in vocabulary:
            raise ValueError(
                f"unknown {info.field_name} {value!r}; add it to {info.field_name.upper()}S in ingest/provisions.py if it is new"
            )
        return value

    @property
    def amount_values(self) -> dict[str, float]:
        """Every 万元 amount in the record, by field name (tiers as tiers[i].amount_wan)."""
        values = {
            name: getattr(self, name)
            for name in ("cap_wan", "floor_wan", "amount_wan", "cap_per_year_wan")
            if getattr(self, name) is not None
        }
        values.update({f"tiers[{i}].amount_wan": t.amount_wan for i, t in enumerate(self.tiers)})
        return values


class ProvisionError(AdvisorError):
    """A provisions file or record is unusable; the message names document, clause and field."""


def provisions_dir(corpus_dir: Path) -> Path:
    return corpus_dir / PROVISIONS_DIR_NAME


def load_provision_file(path: Path) -> list[Provision]:
    """One document's provisions; the document id is the file name. Problems are all reported at once."""
    doc_id = path.stem
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProvisionError(f"[{doc_id}] {path.name} is not valid TOML: {exc}") from None
    entries = data.get("provisions", [])
    provisions: list[Provision] = []
    problems: list[str] = []
    for position, entry in enumerate(entries, start=1):
        try:
            provisions.append(Provision.model_validate({"doc_id": doc_id, **entry}))
        except ValidationError as exc:
            clause = entry.get("clause", "?") if isinstance(entry, dict) else "?"
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "entry"
                problems.append(f"[{doc_id}] {clause} (provision #{position}) {field}: {err['msg']}")
    if problems:
        raise ProvisionError(problem_message(problems))
    return provisions


def load_corpus_provisions(corpus_dir: Path) -> list[Provision]:
    """Every reviewed provision under corpus/provisions/, file by file in name order."""
    folder = provisions_dir(corpus_dir)
    if not folder.is_dir():
        return []
    provisions: list[Provision] = []
    for path in sorted(folder.glob("*.toml")):
        provisions.extend(load_provision_file(path))
    return provisions


def problem_message(problems: list[str]) -> str:
    """One line for one problem; a header and one line each for several (as the manifest check does)."""
    if len(problems) == 1:
        return f"provision problem: {problems[0]}"
    return f"{len(problems)} provision problems:\n  " + "\n  ".join(problems)


def write_index_provisions(folder: Path, provisions: list[Provision]) -> None:
    """Persist the checked provisions with an index version."""
    payload = [p.model_dump(mode="json") for p in provisions]
    (folder / PROVISIONS_FILE).write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


def read_index_provisions(folder: Path) -> list[Provision]:
    """The provisions an index version was built with (none for a version built before provisions)."""
    path = folder / PROVISIONS_FILE
    if not path.is_file():
        return []
    try:
        return [Provision.model_validate(item) for item in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        raise IndexBrokenError(f"{path} is damaged ({exc}); run `policy-advisor ingest` to rebuild") from exc
