"""The one ASGI app: the widget's HTTP API and static files, with the Gradio page mounted at `/`."""

from __future__ import annotations

from fastapi import FastAPI

from app.advisor import Advisor
from policy_core.settings import Settings


def create_app(settings: Settings, advisor: Advisor) -> FastAPI:
    from app.api import install_api
    from app.records.store import Records
    from app.web import mount_page

    application = FastAPI(
        title="武汉人工智能政策问答助手 API",
        description="Answers from the policy texts with clause citations. The answer shape is the `ask --json` contract.",
        version="0.1.0",
    )
    records = Records.from_settings(settings)  # one database for the page, the widget and the API
    install_api(application, settings, advisor, records)
    return mount_page(application, settings, advisor, records)
