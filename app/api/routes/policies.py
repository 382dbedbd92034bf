"""GET /api/policies: every policy the advisor answers from, with its status and dates, and starter questions."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from app.advisor import Advisor
from app.api.schemas import PolicyList


def policies_router(advisor: Advisor) -> APIRouter:
    router = APIRouter(tags=["policies"])

    @router.get("/api/policies", response_model=PolicyList, summary="The policy documents, with status (现行有效 / 已失效 / 尚未施行) and dates")
    async def policies() -> PolicyList:
        rows = await run_in_threadpool(advisor.policies)
        starters = await run_in_threadpool(advisor.starter_questions)
        return PolicyList(today=advisor.settings.status_date().isoformat(), policies=rows, questions=starters)

    return router
