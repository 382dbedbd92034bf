"""The coloured 现行有效 / 已失效 / 尚未施行 badge shared by the source cards and the policy tab."""

from __future__ import annotations

import datetime as dt
from html import escape

from app.answer.policy_status import STATUS_LABEL_ZH, validity_zh


def status_badge(status: str) -> str:
    label = STATUS_LABEL_ZH.get(status, status)
    return f'<span class="pa-badge pa-badge-{escape(status)}">{escape(label)}</span>'


def validity_text(effective_from: str | None, valid_until: str | None) -> str:
    """e.g. 自2025年9月12日起施行，有效期至2027年12月31日 (escaped)."""
    return escape(validity_zh(_day(effective_from), _day(valid_until)))


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
