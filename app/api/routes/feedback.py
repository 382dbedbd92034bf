"""POST /api/feedback: 👍/👎 (with a reason) on an answer this server gave, for the maintainers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from app.api.errors import ApiError
from app.api.issued_answers import IssuedAnswers
from app.api.rate_limiter import ChatRateLimiter, client_address, enforce
from app.api.schemas import ErrorResponse, FeedbackAccepted, FeedbackRequest
from app.records.feedback_store import FeedbackStore

UNKNOWN_ANSWER_ZH = "找不到这条回答（可能已过期），无法评价。"
TOO_MANY_RATINGS_ZH = "评价太频繁了，请 {seconds} 秒后再试。"
NOT_STORED_ZH = "评价暂时无法保存，请稍后再试。"


def feedback_router(answers: IssuedAnswers, store: FeedbackStore, limiter: ChatRateLimiter) -> APIRouter:
    router = APIRouter(tags=["feedback"])

    @router.post(
        "/api/feedback",
        response_model=FeedbackAccepted,
        summary="Rate an answer (👍/👎 with a reason), or take the rating back",
        responses={
            403: {"model": ErrorResponse, "description": "The page's origin is not in ALLOWED_ORIGINS."},
            404: {"model": ErrorResponse, "description": "No such answer (unknown or older than a day)."},
            422: {"model": ErrorResponse, "description": "Malformed request (unknown rating or reason)."},
            429: {"model": ErrorResponse, "description": "Too many ratings; see the Retry-After header."},
            503: {"model": ErrorResponse, "description": "The database cannot be written just now."},
        },
    )
    async def rate(body: FeedbackRequest, request: Request) -> FeedbackAccepted:
        enforce(limiter, TOO_MANY_RATINGS_ZH, f"feedback-address:{client_address(request)}")
        result = answers.get(body.answer_id)
        if result is None:
            raise ApiError(404, "unknown_answer", UNKNOWN_ANSWER_ZH)
        try:
            if body.rating is None:
                await run_in_threadpool(store.clear, body.answer_id)
            else:
                await run_in_threadpool(
                    store.rate,
                    body.answer_id,
                    body.rating,
                    question=result.question,
                    answer=result.answer,
                    citations=[c.model_dump(mode="json") for c in result.citations],
                    resolved_question=result.resolved_question,
                    reason=body.reason,
                    comment=body.comment,
                )
        except Exception as exc:  # the database is down: say so, the chat goes on
            raise ApiError(503, "feedback_not_stored", NOT_STORED_ZH) from exc
        return FeedbackAccepted(answer_id=body.answer_id, rating=body.rating)

    return router
