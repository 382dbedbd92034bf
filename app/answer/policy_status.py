"""Whether a policy is in force on a given day, and how to say its dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from app.schemas import PolicyStatus
from ingest.records import PolicyMetadata

STATUS_LABEL_ZH = {"in_force": "现行有效", "expired": "已失效", "not_yet_effective": "尚未施行"}


def policy_status(doc: PolicyMetadata, today: dt.date) -> PolicyStatus:
    start, end = doc.effective_from, doc.valid_until
    if end and today > end:
        return "expired"
    if start and today < start:
        return "not_yet_effective"
    return "in_force"


def day_zh(day: dt.date) -> str:
    """e.g. 2025年9月12日."""
    return f"{day.year}年{day.month}月{day.day}日"


def validity_zh(start: dt.date | None, end: dt.date | None) -> str:
    """e.g. 自2025年9月12日起施行，有效期至2027年12月31日."""
    parts = []
    if start:
        parts.append(f"自{day_zh(start)}起施行")
    if end:
        parts.append(f"有效期至{day_zh(end)}")
    return "，".join(parts) or "文件未写明有效期"


def dates_zh(doc: PolicyMetadata) -> str:
    return validity_zh(doc.effective_from, doc.valid_until)


def dates_en(doc: PolicyMetadata) -> str:
    start, end = doc.effective_from, doc.valid_until
    parts = []
    if start:
        parts.append(f"in force from {start}")
    if end:
        parts.append(f"valid until {end}")
    return ", ".join(parts) or "no validity period given"


def status_warning(doc: PolicyMetadata, status: PolicyStatus, english: bool, templates: Mapping[tuple[str, bool], str]) -> str:
    """The warning for a policy not in force, in the answerer's own words: `templates` maps
    (status, english) to a text with {title} and {dates} (see `phrases`)."""
    return templates[(status, english)].format(title=doc.title, dates=dates_en(doc) if english else dates_zh(doc))
