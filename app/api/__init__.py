"""The widget's HTTP API and static files, installed on the one ASGI app before the Gradio page is mounted."""

from __future__ import annotations

from fastapi import FastAPI

from app.advisor import Advisor
from app.api.body_limit import BodySizeLimit
from app.api.errors import install_error_handlers
from app.api.offline_docs import serve_docs_offline
from app.api.origin_guard import OriginGuard
from app.api.issued_answers import IssuedAnswers
from app.api.rate_limiter import ChatRateLimiter
from app.api.routes.chat import chat_router
from app.api.routes.feedback import feedback_router
from app.api.routes.health import health_router
from app.api.routes.match import match_router
from app.api.routes.policies import policies_router
from app.api.routes.widget_assets import widget_assets_router
from app.api.session_store import session_backend
from app.api.sessions import ConversationStore
from app.records.store import Records
from policy_core.settings import Settings


def install_api(application: FastAPI, settings: Settings, advisor: Advisor, records: Records | None = None) -> None:
    """Routes (/api/chat, /api/match, /api/feedback, /api/policies, /healthz, /widget.js), the origin guard, JSON errors and offline /docs."""
    records = records or Records.from_settings(settings)
    conversations = ConversationStore(
        settings.session_max, settings.session_ttl_seconds, settings.conversation_turns, session_backend(settings)
    )
    limiter = ChatRateLimiter(settings.rate_limit_per_minute)
    answers = IssuedAnswers()
    install_error_handlers(application)
    application.add_middleware(BodySizeLimit)
    application.add_middleware(OriginGuard, allowed_origins=settings.allowed_origins)  # added last: runs first
    application.include_router(chat_router(advisor, conversations, limiter, answers, records.questions))
    application.include_router(match_router(advisor, ChatRateLimiter(settings.rate_limit_per_minute)))
    application.include_router(
        feedback_router(answers, records.feedback, ChatRateLimiter(settings.feedback_rate_limit_per_minute))
    )
    application.include_router(policies_router(advisor))
    application.include_router(health_router(advisor, conversations))
    application.include_router(widget_assets_router())
    serve_docs_offline(application)
