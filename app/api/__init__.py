"""The widget's HTTP API and static files, installed on the one ASGI app before the Gradio page is mounted."""

from __future__ import annotations

from fastapi import FastAPI

from app.advisor import Advisor
from app.api.body_limit import BodySizeLimit
from app.api.errors import install_error_handlers
from app.api.offline_docs import serve_docs_offline
from app.api.origin_guard import OriginGuard
from app.api.routes.admin import admin_router
from app.api.routes.chat import chat_router
from app.api.routes.feedback import feedback_router
from app.api.routes.health import health_router
from app.api.routes.match import match_router
from app.api.routes.policies import policies_router
from app.api.routes.widget_assets import widget_assets_router
from app.api.shared_state import shared_state
from app.records.store import Records
from policy_core.settings import Settings


def install_api(application: FastAPI, settings: Settings, advisor: Advisor, records: Records | None = None) -> None:
    """Routes (/api/chat, /api/match, /api/feedback, /api/policies, /healthz, /widget.js), the origin guard, JSON errors and offline /docs."""
    records = records or Records.from_settings(settings)
    state = shared_state(settings)  # this machine (memory or the data home's SQLite), or Redis with REDIS_URL
    conversations, answers = state.conversations, state.answers
    limiter = state.limiter(settings.rate_limit_per_minute, "chat")
    install_error_handlers(application)
    application.add_middleware(BodySizeLimit)
    application.add_middleware(OriginGuard, allowed_origins=settings.allowed_origins)  # added last: runs first
    application.include_router(chat_router(advisor, conversations, limiter, answers, records.questions))
    application.include_router(match_router(advisor, state.limiter(settings.rate_limit_per_minute, "match")))
    application.include_router(
        feedback_router(answers, records.feedback, state.limiter(settings.feedback_rate_limit_per_minute, "feedback"))
    )
    application.include_router(policies_router(advisor))
    application.include_router(health_router(advisor, conversations, state.redis))
    application.include_router(widget_assets_router())
    application.include_router(admin_router(settings.admin_token and settings.admin_token.get_secret_value(), records.database))
    serve_docs_offline(application)
