"""`/admin`: the maintainers' page over the question log, off (404) unless `ADMIN_TOKEN` is set.

GET /admin shows the dashboard to a signed-in maintainer and the login form
to anyone else; POST /admin/login and /admin/logout set and clear the session
cookie; GET /admin/export sends the filtered questions as CSV or JSON Lines,
the same bytes as `policy-advisor questions --export`. The reports are the
CLI's (`app.records.question_reports`).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.api.admin_auth import AdminGate, Blocked
from app.api.admin_page import Dashboard, dashboard_page, login_page
from app.api.origin_guard import is_own_origin
from app.api.rate_limiter import client_address
from app.records.database import Database
from app.records.question_log import SURFACES
from app.records.question_reports import (
    QuestionFilter, disliked, export_questions, load_questions, per_day, per_surface_and_site, refused_groups,
)  # fmt: skip
from policy_core.errors import AdvisorError

MAX_LOGIN_BODY = 4096
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
WRONG_TOKEN_ZH = "口令不正确。"
BLOCKED_ZH = "口令错误次数太多，请 {seconds} 秒后再试。"
DATABASE_DOWN_ZH = "提问记录数据库暂时无法读取，请稍后刷新。"


class FilterError(AdvisorError, ValueError):
    """A filter value the page cannot use; its message is shown to the maintainer."""


def _day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{name}须为 年-月-日 格式的日期（如 2026-11-01），而不是 {value!r}。") from None


def read_filter(request: Request) -> QuestionFilter:
    """The date range, surface and site from the query string; empty fields mean no filter."""
    query = request.query_params
    since, until = _day(query.get("since"), "开始日期"), _day(query.get("until"), "结束日期")
    if since and until and since > until:
        raise FilterError("开始日期晚于结束日期。")
    surface = query.get("surface") or None
    if surface is not None and surface not in SURFACES:
        raise FilterError(f"渠道须为 {'、'.join(SURFACES)} 之一。")
    return QuestionFilter(since, until, surface, (query.get("origin") or "").strip() or None)


def _html(text: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(text, status, headers={**PAGE_HEADERS, **(headers or {})})


def _refused(verdict: Blocked | str) -> HTMLResponse:
    """The login form again: with a wait after too many wrong tokens, a note after a wrong one."""
    if isinstance(verdict, Blocked):
        seconds = str(verdict.retry_after)
        return _html(login_page(BLOCKED_ZH.format(seconds=seconds)), 429, {"Retry-After": seconds})
    return _html(login_page(WRONG_TOKEN_ZH if verdict == "wrong_token" else None), 401)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _dashboard(database: Database, where: QuestionFilter, problem: str | None) -> Dashboard:
    rows = load_questions(database, where)
    return Dashboard(
        where=where,
        rows=rows,
        days=per_day(rows, where.since, where.until),
        unanswered=refused_groups(rows),
        disliked=disliked(rows),
        sites=sorted({c.origin for c in per_surface_and_site(rows) if c.origin}),
        problem=problem,
    )


def admin_router(token: str | None, database: Database) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    gate = AdminGate(token) if token else None

    def require_gate() -> AdminGate:
        if gate is None:
            raise HTTPException(404)
        return gate

    @router.get("/admin")
    async def admin_page(request: Request) -> Response:
        verdict = require_gate().verdict(request)
        if verdict != "signed_in":
            return _refused(verdict)
        try:
            where, problem = read_filter(request), None
        except FilterError as exc:
            where, problem = QuestionFilter(), str(exc)
        try:
            view = await run_in_threadpool(_dashboard, database, where, problem)
        except Exception:  # the database is down: say so, keep the page
            view = Dashboard(where, [], [], [], [], [], DATABASE_DOWN_ZH)
            return _html(dashboard_page(view), 503)
        return _html(dashboard_page(view), 400 if problem else 200)

    @router.post("/admin/login")
    async def login(request: Request) -> Response:
        gate = require_gate()
        origin = request.headers.get("origin")
        if origin and origin != "null" and not is_own_origin(origin, request.headers.get("host")):
            raise HTTPException(403)
        body = await request.body()
        form = parse_qs(body[:MAX_LOGIN_BODY].decode("utf-8", "replace"))
        verdict = gate.check_token((form.get("token") or [""])[0], client_address(request))
        if verdict != "signed_in":
            return _refused(verdict)
        response = RedirectResponse("/admin", status_code=303, headers={"Cache-Control": "no-store"})
        gate.set_session(response, _secure(request))
        return response

    @router.post("/admin/logout")
    async def logout(request: Request) -> Response:
        require_gate()
        response = RedirectResponse("/admin", status_code=303)
        AdminGate.end_session(response, _secure(request))
        return response

    @router.get("/admin/export")
    async def export(request: Request) -> Response:
        verdict = require_gate().verdict(request)
        if verdict != "signed_in":
            return _refused(verdict)
        kind = request.query_params.get("format", "csv")
        if kind not in EXPORT_TYPES:
            raise HTTPException(400, "format 须为 csv 或 jsonl")
        try:
            where = read_filter(request)
        except FilterError as exc:
            raise HTTPException(400, str(exc)) from None
        rows = await run_in_threadpool(load_questions, database, where)
        name = f"questions-{dt.date.today():%Y%m%d}.{kind}"
        return Response(
            export_questions(rows, f".{kind}"),
            media_type=EXPORT_TYPES[kind],
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )

    return router
