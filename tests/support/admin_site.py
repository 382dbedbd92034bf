"""The app with `/admin` switched on and a question log that holds real answers, for the admin tests.

Questions are asked through the real chat API (as the widget and programs do)
and rated through the real feedback API, so the page shows what a deployment
would record.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from app.api import install_api
from app.records.store import Records
from policy_core.settings import Settings
from tests.support.servers import serve_asgi

ADMIN_TOKEN = "test-admin-token-0123456789abcdef"
SITE = "http://site.example"
XSS_QUESTION = '<img src=x onerror="alert(document.domain)">'
CONTROL_QUESTION = "北京\x1b[31m有补贴吗\x07"
ANSWERED_QUESTION = "洪山区中小企业买算力有补贴吗"
REFUSED_QUESTION = "北京有什么人工智能补贴"
DISLIKE_COMMENT = "<script>alert('comment')</script>没说怎么申请"


@dataclass
class AdminSite:
    base: str
    settings: Settings
    records: Records


def _ask(http: httpx.Client, question: str, **body) -> dict:
    response = http.post("/api/chat", json={"message": question, **body})
    response.raise_for_status()
    return response.json()


def _seed(base: str) -> None:
    with httpx.Client(base_url=base, timeout=60) as api:
        _ask(api, XSS_QUESTION)
        _ask(api, CONTROL_QUESTION)
        _ask(api, REFUSED_QUESTION)
    with httpx.Client(base_url=base, timeout=60, headers={"Origin": SITE}) as widget:
        answered = _ask(widget, ANSWERED_QUESTION, client="widget")
        rated = widget.post(
            "/api/feedback",
            json={"answer_id": answered["answer_id"], "rating": "down", "reason": "不完整", "comment": DISLIKE_COMMENT},
        )
        rated.raise_for_status()


@contextlib.contextmanager
def admin_site(settings: Settings, advisor, folder: Path) -> Iterator[AdminSite]:
    """The API with ADMIN_TOKEN set, records in `folder`, and four questions (one 👎) logged."""
    mine = settings.model_copy(
        update={
            "admin_token": SecretStr(ADMIN_TOKEN),
            "database_url": f"sqlite:///{folder / 'advisor.sqlite3'}",
            "allowed_origins": [SITE],
            "rate_limit_per_minute": 1000,
        }
    )
    records = Records.from_settings(mine)
    application = FastAPI(title="policy advisor with /admin under test")
    install_api(application, mine, advisor, records)
    with serve_asgi(application) as base:
        _seed(base)
        assert records.questions.flush()
        yield AdminSite(base, mine, records)
    records.database.dispose()
