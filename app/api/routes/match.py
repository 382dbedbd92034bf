"""POST /api/match: a founder's profile → every provision that applies, grouped by policy, with amounts and citations.

Guarded like /api/chat (origin check, JSON errors) and rate limited per client address
in its own window, so matching does not use up a visitor's questions.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from app.advisor import Advisor
from app.api.rate_limiter import ChatRateLimiter, client_address, enforce
from app.api.routes.chat import RATE_LIMITED_ZH
from app.api.schemas import ErrorResponse, MatchRequest, MatchResponse


def match_router(advisor: Advisor, limiter: ChatRateLimiter) -> APIRouter:
    router = APIRouter(tags=["match"])

    @router.post(
        "/api/match",
        response_model=MatchResponse,
        summary="Match a founder's profile to the policy provisions (政策匹配)",
        responses={
            403: {"model": ErrorResponse, "description": "The page's origin is not in ALLOWED_ORIGINS."},
            413: {"model": ErrorResponse, "description": "Request body over 64 KB."},
            422: {"model": ErrorResponse, "description": "Malformed profile (unknown identity or purpose, no identity)."},
            429: {"model": ErrorResponse, "description": "Too many requests; see the Retry-After header."},
        },
    )
    async def match(body: MatchRequest, request: Request) -> MatchResponse:
        """Every provision in force the profile may get: 适用 when the profile settles who and where,
        可能适用 with the unsettled words quoted otherwise; rate × amount with the ceiling, per unit,
        per square metre and 差额 between levels where figures are given; expired policies apart and
        only when `include_expired` is set."""
        enforce(limiter, RATE_LIMITED_ZH, f"match-address:{client_address(request)}")
        result = await run_in_threadpool(advisor.match, body)
        return MatchResponse(today=advisor.settings.status_date().isoformat(), **dict(result))

    return router
