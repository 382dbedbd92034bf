"""GET /healthz: the app is up and its index is readable (for load balancers and monitors)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from app.advisor import Advisor
from app.api.schemas import Health
from app.api.sessions import ConversationStore


def health_router(advisor: Advisor, conversations: ConversationStore) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", response_model=Health, summary="Liveness and the index in use")
    async def healthz() -> Health:
        snap = await run_in_threadpool(advisor.index.snapshot)
        return Health(
            status="ok",
            mode="llm" if advisor.settings.llm_enabled else "extractive",
            index_version=snap.version.version,
            documents=len(snap.docs),
            chunks=len(snap.chunks),
            sessions=len(conversations),
        )

    return router
