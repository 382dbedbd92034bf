"""Which web sites may call the API from a browser: `ALLOWED_ORIGINS`, plus the app's own origin.

Two locks on the same door. CORS tells browsers which sites may read the answers;
the server-side check refuses any request whose `Origin` header names another site
(CORS alone stops only browsers that honour it). Requests without an `Origin`
header (curl, scripts, the benchmark) are not from a web page and pass.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.errors import CrashAsJson, error_response

GUARDED_PREFIX = "/api/"
REFUSED_ZH = "此网站（{origin}）未获授权使用政策小助手，请网站管理员在服务端的 ALLOWED_ORIGINS 中加入本站地址。"


def is_own_origin(origin: str, host_header: str | None) -> bool:
    """Same host and port as the request was addressed to (the app's own pages)."""
    return bool(host_header) and urlsplit(origin).netloc.lower() == host_header.lower()


class OriginGuard:
    """ASGI middleware for `/api/*`: refuse foreign origins with a JSON 403, answer CORS for allowed ones."""

    def __init__(self, app: ASGIApp, allowed_origins: list[str]) -> None:
        self.app = app
        self.allowed = frozenset(allowed_origins)
        self.cors = CORSMiddleware(
            CrashAsJson(app),
            allow_origins=sorted(self.allowed),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Accept"],
            expose_headers=["Retry-After"],
            max_age=600,
        )

    def origin_allowed(self, origin: str, host_header: str | None) -> bool:
        return origin in self.allowed or is_own_origin(origin, host_header)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(GUARDED_PREFIX):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is not None and not self.origin_allowed(origin, headers.get("host")):
            refusal = error_response(403, "origin_not_allowed", REFUSED_ZH.format(origin=origin), origin=origin)
            await refusal(scope, receive, send)
            return
        await self.cors(scope, receive, send)
