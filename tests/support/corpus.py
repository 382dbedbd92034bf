"""The fixed facts the tests run against: the real corpus and the day policy status is computed for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from policy_core.settings import PROJECT_ROOT

TODAY = dt.date(2026, 11, 23)
CORPUS = PROJECT_ROOT / "corpus"


def raise_platform_cap(corpus: Path, wan: int) -> None:
    """Edit measure 二's cap in the text and, as a maintainer must, in its reviewed provision."""
    for path, old, new in (
        (corpus / "hongshan-ai-measures-2025.txt", "单个平台最高支持 150 万元", f"单个平台最高支持 {wan} 万元"),
        (corpus / "provisions" / "hongshan-ai-2025.toml", "单个平台最高支持 150 万元。\"\nbeneficiaries", f"单个平台最高支持 {wan} 万元。\"\nbeneficiaries"),
        (corpus / "provisions" / "hongshan-ai-2025.toml", "cap_wan = 150\n", f"cap_wan = {wan}\n"),
    ):
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (path.name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
