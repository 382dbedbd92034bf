"""Serve /docs (Swagger UI) and /redoc from the bundled `fastapi-offline` assets instead of a CDN.

The app works offline (intranets of service centers), so the API docs must too.
FastAPI registers CDN-based pages at construction; they are swapped for local ones here.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/api-docs-assets"
ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"


def serve_docs_offline(application: FastAPI) -> None:
    docs_url, redoc_url, openapi_url = application.docs_url, application.redoc_url, application.openapi_url
    if not openapi_url:
        return
    application.router.routes[:] = [r for r in application.router.routes if getattr(r, "path", None) not in (docs_url, redoc_url)]
    application.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="api-docs-assets")

    if docs_url:

        @application.get(docs_url, include_in_schema=False)
        async def swagger_ui() -> HTMLResponse:
            return get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{application.title} - Swagger UI",
                swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
                swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
            )

    if redoc_url:

        @application.get(redoc_url, include_in_schema=False)
        async def redoc() -> HTMLResponse:
            return get_redoc_html(
                openapi_url=openapi_url,
                title=f"{application.title} - ReDoc",
                redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
                redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
                with_google_fonts=False,
            )
