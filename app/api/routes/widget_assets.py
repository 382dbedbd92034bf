"""GET /widget.js and /widget.css: the embeddable chat widget, loaded by other sites' pages.

They are public static files: a `<script src>` from any site may load them (only the
API behind them checks the origin). Cached briefly so an upgrade reaches visitors soon.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parent.parent / "static"
ASSET_HEADERS = {"Cache-Control": "public, max-age=300", "Cross-Origin-Resource-Policy": "cross-origin", "X-Content-Type-Options": "nosniff"}


def widget_assets_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/widget.js")
    async def widget_js() -> FileResponse:
        return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8", headers=ASSET_HEADERS)

    @router.get("/widget.css")
    async def widget_css() -> FileResponse:
        return FileResponse(STATIC / "widget.css", media_type="text/css; charset=utf-8", headers=ASSET_HEADERS)

    return router
