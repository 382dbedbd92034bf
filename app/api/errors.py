"""One error shape for the HTTP API: `{"error": {"code", "message", ...}}`, never a stack trace.

Messages are Chinese and fit to show a visitor as they are; `code` is for programs.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from app.advisor import QuestionError
from policy_core.errors import AdvisorError

log = logging.getLogger(__name__)

INTERNAL_ERROR_ZH = "服务出了点问题，请稍后再试。"
API_PATHS = ("/api/", "/healthz", "/widget.")

_STATUS_MESSAGES_ZH = {
    400: "请求有误。",
    404: "没有这个地址。",
    405: "这个地址不支持该请求方法。",
    413: "请求内容太大。",
    415: "请求须为 JSON 格式。",
}


class ApiError(AdvisorError):
    """An error the API answers with its own status, code and message (and optional headers)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers, self.extra = status, code, message, headers or {}, extra


def error_body(code: str, message: str, **extra: Any) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(error_body(code, message, **extra), status_code=status, headers=headers)


def is_api_path(path: str) -> bool:
    """Paths served by this package; the Gradio page keeps its own error format."""
    return path.startswith(API_PATHS)


def _validation_message(exc: RequestValidationError) -> str:
    """A Chinese sentence for the first problem in the request body."""
    for problem in exc.errors():
        kind, where = problem.get("type", ""), problem.get("loc", ())
        field = where[-1] if where else ""
        if kind == "json_invalid":
            return "请求体不是有效的 JSON。"
        if tuple(where) == ("body",):
            return '请求体须为 JSON 对象，例如 {"message": "您的问题"}。'
        if kind == "missing" and field == "message":
            return "请求缺少 message（问题）字段。"
        if field == "message" and kind == "string_too_long":
            return "问题太长，请精简后再问。"
        if field == "message":
            return "message（问题）须为文字。"
        if field == "session_id":
            return "session_id 格式不正确，请去掉它重新开始会话。"
        if "identities" in where:
            return "identities（身份）至少选一项，且须为 OPC、中小企业、初创企业、企业、人才等已知身份。"
        if "purpose" in where:
            return "activities 中的 purpose（用途）须为政策条款的用途，如 算力服务、模型备案、购房、应用场景。"
    return "请求格式不正确。"


def install_error_handlers(application: FastAPI) -> None:
    """JSON errors for the API paths; other paths keep FastAPI's defaults."""

    @application.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.headers, **exc.extra)

    @application.exception_handler(AdvisorError)
    async def _advisor_error(request: Request, exc: AdvisorError) -> Response:
        """A question the visitor can fix gets its message; any other problem (the index, the
        corpus) is for whoever runs the service: logged, and the visitor gets an apology."""
        if isinstance(exc, QuestionError):
            return error_response(400, "invalid_question", str(exc))
        log.error("%s answering %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
        return error_response(500, "internal_error", INTERNAL_ERROR_ZH)

    @application.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if not is_api_path(request.url.path):
            return await request_validation_exception_handler(request, exc)
        problems = [{"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")} for e in exc.errors()]
        return error_response(422, "invalid_request", _validation_message(exc), problems=problems)

    @application.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not is_api_path(request.url.path):
            return await http_exception_handler(request, exc)
        message = _STATUS_MESSAGES_ZH.get(exc.status_code, "请求未能完成。")
        return error_response(exc.status_code, f"http_{exc.status_code}", message, getattr(exc, "headers", None))


class CrashAsJson:
    """ASGI wrapper turning an unexpected exception into a JSON 500 (logged, never shown).

    It sits inside the CORS layer, so a browser can still read the error; Starlette's own
    last-resort handler sits outside every middleware and its response would lack CORS headers.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unexpected error answering %s %s", scope.get("method"), scope.get("path"))
            if started:  # a stream already under way: nothing more can be said over HTTP
                raise
            await error_response(500, "internal_error", INTERNAL_ERROR_ZH)(scope, receive, send)
