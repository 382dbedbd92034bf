"""Refuse oversized request bodies on `/api/*` before they are read into memory (HTTP 413).

A question is at most a few kilobytes; uvicorn itself sets no limit on bodies.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import error_response

MAX_BODY_BYTES = 64 * 1024
TOO_LARGE_ZH = "请求内容太大，请精简问题后再问。"


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, prefix: str = "/api/") -> None:
        self.app, self.max_bytes, self.prefix = app, max_bytes, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received, refused = 0, False

        async def counting_receive() -> Message:
            # bodies sent without Content-Length (chunked) are counted as they arrive
            nonlocal received, refused
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes and not refused:
                refused = True
                await self._refuse(scope, receive, send)
                return {"type": "http.disconnect"}  # the app stops reading; what it says next is dropped
            return message

        async def unless_refused(message: Message) -> None:
            if not refused:
                await send(message)

        try:
            await self.app(scope, counting_receive, unless_refused)
        except Exception:
            if not refused:
                raise

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        await error_response(413, "payload_too_large", TOO_LARGE_ZH)(scope, receive, send)
