"""GET /healthz: the app is up and its index is readable (for load balancers and monitors).

A part this replica shares with others that cannot be reached (the Chroma
server, Redis) makes it 503 with `status: degraded` and the part named, while
answers continue (BM25 and in-memory fallbacks); it turns 200 again by itself.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from app.advisor import Advisor
from app.api.redis_link import RedisLink
from app.api.schemas import Health
from app.api.sessions import ConversationStore


def health_router(advisor: Advisor, conversations: ConversationStore, redis: RedisLink | None = None) -> APIRouter:
    router = APIRouter(tags=["health"])

    def degraded_parts() -> list[str]:
        parts = [] if advisor.index.chroma_reachable() else ["chroma"]
        if redis is not None and not redis.check():
            parts.append("redis")
        return parts

    @router.get(
        "/healthz",
        response_model=Health,
        summary="Liveness and the index in use",
        responses={503: {"model": Health, "description": "Degraded: a shared part (chroma, redis) is unreachable; answers continue."}},
    )
    async def healthz():
        snap = await run_in_threadpool(advisor.index.snapshot)
        degraded = await run_in_threadpool(degraded_parts)
        health = Health(
            status="degraded" if degraded else "ok",
            degraded=degraded,
            mode="llm" if advisor.settings.llm_enabled else "extractive",
            index_version=snap.version.version,
            documents=len(snap.docs),
            chunks=len(snap.chunks),
            sessions=await run_in_threadpool(len, conversations),
        )
        return JSONResponse(health.model_dump(), status_code=503 if degraded else 200)

    return router
