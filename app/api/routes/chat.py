"""POST /api/chat: one answer as JSON, or streamed as server-sent events on `Accept: text/event-stream`.

The advisor's work is synchronous and CPU-bound, so it runs in the threadpool and the
event loop stays free for other visitors (and for streaming).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.concurrency import iterate_in_threadpool, run_in_threadpool
from sse_starlette import EventSourceResponse

from app.advisor import Advisor
from app.answer.service_contact import ServiceContact
from app.api.errors import INTERNAL_ERROR_ZH, error_body
from app.api.issued_answers import IssuedAnswers
from app.api.rate_limiter import ChatRateLimiter, client_address, enforce
from app.api.schemas import ChatRequest, ChatResponse, ErrorResponse
from app.api.sessions import ConversationStore
from app.records.question_log import QuestionLog
from app.schemas import AnswerResult, Turn

log = logging.getLogger(__name__)

RATE_LIMITED_ZH = "提问太频繁了，请 {seconds} 秒后再试。"

STREAM_DESCRIPTION = """With `Accept: text/event-stream` the answer streams as server-sent events:
`delta` events (`{"text": "..."}`, pieces of the answer in order), then one `final` event
whose data is the whole ChatResponse (citations included). A failure mid-answer sends one
`error` event (`{"error": {"code", "message"}}`) instead of `final`."""


def _site_contact(body: ChatRequest) -> ServiceContact | None:
    """The widget's own service desk for this answer, when its site gave one."""
    if body.contact is None or not any((body.contact.name, body.contact.phone, body.contact.url)):
        return None
    url = str(body.contact.url) if body.contact.url else None
    return ServiceContact(name=body.contact.name, phone=body.contact.phone, url=url)


def _turn(result: AnswerResult) -> Turn:
    return Turn(question=result.question, answer=result.answer, resolved_question=result.resolved_question)


def chat_router(
    advisor: Advisor,
    conversations: ConversationStore,
    limiter: ChatRateLimiter,
    answers: IssuedAnswers,
    question_log: QuestionLog,
) -> APIRouter:
    router = APIRouter(tags=["chat"])

    def answered(result: AnswerResult, session_id: str, body: ChatRequest, origin: str | None) -> ChatResponse:
        """Remember the turn, give the answer its id (for ratings) and queue it for the question log."""
        conversations.record(session_id, _turn(result))
        answer_id = answers.issue(result)
        question_log.record(answer_id, body.client, result, origin=origin, session_id=session_id)
        return ChatResponse(**result.model_dump(), session_id=session_id, answer_id=answer_id)

    @router.post(
        "/api/chat",
        response_model=ChatResponse,
        summary="Ask a question (JSON, or streamed with Accept: text/event-stream)",
        description=STREAM_DESCRIPTION,
        responses={
            200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
            400: {"model": ErrorResponse, "description": "Empty or too long question."},
            403: {"model": ErrorResponse, "description": "The page's origin is not in ALLOWED_ORIGINS."},
            413: {"model": ErrorResponse, "description": "Request body over 64 KB."},
            422: {"model": ErrorResponse, "description": "Malformed request."},
            429: {"model": ErrorResponse, "description": "Too many questions; see the Retry-After header."},
        },
    )
    async def chat(body: ChatRequest, request: Request):
        session_id, history = conversations.open(body.session_id)
        # the client continues a conversation this server no longer has (restart, expiry): its follow-up says so
        options = {"context_lost": body.session_id is not None and session_id != body.session_id, "contact": _site_contact(body)}
        enforce(limiter, RATE_LIMITED_ZH, f"address:{client_address(request)}", f"session:{session_id}")
        question = advisor.check_question(body.message)  # QuestionError → 400 with the advisor's Chinese message
        origin = request.headers.get("origin")
        if "text/event-stream" in request.headers.get("accept", ""):
            return EventSourceResponse(_answer_events(question, history, session_id, body, origin, options), ping=15)
        result = await run_in_threadpool(lambda: advisor.ask(question, history, **options))
        return answered(result, session_id, body, origin)

    async def _answer_events(
        question: str, history: list[Turn], session_id: str, body: ChatRequest, origin: str | None, options: dict
    ) -> AsyncIterator[dict]:
        try:
            async for item in iterate_in_threadpool(advisor.stream(question, history, **options)):
                if isinstance(item, AnswerResult):
                    yield {"event": "final", "data": answered(item, session_id, body, origin).model_dump_json()}
                else:
                    yield {"event": "delta", "data": json.dumps({"text": item}, ensure_ascii=False)}
        except Exception:
            log.exception("answer stream failed")
            yield {"event": "error", "data": json.dumps(error_body("internal_error", INTERNAL_ERROR_ZH), ensure_ascii=False)}

    return router
