"""A founder's profile: who they are, where they are registered, what they do and spend."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest.provisions import PURPOSES

Purpose = Literal[tuple(sorted(PURPOSES))]  # type: ignore[valid-type]  # the provisions' purposes, listed in /docs

Identity = Literal[
    "OPC", "中小企业", "初创企业", "企业", "人才", "OPC人才", "创新团队", "高校师生", "大学生", "高校院所",
    "运营方", "活动主办方", "金融机构", "投资机构", "上市公司", "养老机构",
]


class Activity(BaseModel):
    """Something the founder does or spends on, with the figures they have."""

    model_config = ConfigDict(extra="forbid")

    purpose: Purpose = Field(description="A provision purpose: 算力服务, 模型备案, 购房, 应用场景 …")
    amount_wan: float | None = Field(None, ge=0, description="Money spent or invested, 万元 (the base of a rate).")
    count: int | None = Field(None, ge=0, description="How many units: models filed, projects, beds …")
    area_m2: float | None = Field(None, ge=0, description="Square metres (a home bought, office space).")
    level: str | None = Field(None, description="The level reached, as the policy words it: 国家级, 省级 …")
    previous_level: str | None = Field(None, description="A lower level already rewarded (差额 on promotion).")


class FounderProfile(BaseModel):
    """The matching input: who, where, and the figures they have. Everything the identities can
    get is listed; the activities' figures give amounts (and, with `only_activities`, the focus)."""

    model_config = ConfigDict(extra="forbid")

    identities: list[Identity] = Field(min_length=1, description="Who the founder is; several may hold (OPC and 初创企业).")
    district: str | None = Field(None, description="District of registration, e.g. 洪山区; unknown when unset.")
    activities: list[Activity] = Field(default_factory=list, description="What they do or spend on, with figures.")
    only_activities: bool = Field(False, description="List only provisions for the activities given (a calculation).")
    include_expired: bool = Field(False, description="Also list provisions of expired policies, apart.")

    def activity(self, purpose: str) -> Activity | None:
        return next((a for a in self.activities if a.purpose == purpose), None)
