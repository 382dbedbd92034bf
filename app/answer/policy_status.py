"""Whether a policy is in force on a given day, and how to say its dates."""

from __future__ import annotations

import datetime as dt

from app.schemas import PolicyStatus

STATUS_LABEL_ZH = {"in_force": "现行有效", "expired": "已失效", "not_yet_effective": "尚未施行"}


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def policy_status(doc: dict, today: dt.date) -> PolicyStatus:
    start, end = _date(doc.get("effective_from")), _date(doc.get("valid_until"))
    if end and today > end:
        return "expired"
    if start and today < start:
        return "not_yet_effective"
    return "in_force"


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def dates_zh(doc: dict) -> str:
    """e.g. 自2025年9月12日起施行，有效期至2027年12月31日."""
    start, end = _date(doc.get("effective_from")), _date(doc.get("valid_until"))
    parts = []
    if start:
        parts.append(f"自{_zh(start)}起施行")
    if end:
        parts.append(f"有效期至{_zh(end)}")
    return "，".join(parts) or "文件未写明有效期"


def dates_en(doc: dict) -> str:
    start, end = doc.get("effective_from"), doc.get("valid_until")
    parts = []
    if start:
        parts.append(f"in force from {start}")
    if end:
        parts.append(f"valid until {end}")
    return ", ".join(parts) or "no validity period given"
