"""The fixed facts the tests run against: the real corpus and the day policy status is computed for."""

from __future__ import annotations

import datetime as dt

from policy_core.settings import PROJECT_ROOT

TODAY = dt.date(2026, 11, 23)
CORPUS = PROJECT_ROOT / "corpus"
