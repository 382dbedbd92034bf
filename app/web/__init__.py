"""The chat page for entrepreneurs: Gradio Blocks mounted at `/` of the one ASGI app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException

STATIC = Path(__file__).parent / "static"
UPLOAD_LIMIT = "10kb"  # the page takes no files; Gradio's upload route still exists, so keep it tiny


def _refuse_file_route(application: FastAPI) -> None:
    """Gradio's `/gradio_api/file=` serves local files and proxies public URLs; the page needs neither.

    Routes on the parent app match before the mount at `/`, so this answers
    every such request (URL-encoded ones too: routing sees the decoded path)
    with 404. `blocked_paths` below is the second line of defence.
    """

    @application.api_route("/gradio_api/file={path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def no_files(path: str) -> None:
        raise HTTPException(status_code=404, detail="Not Found")


def mount_page(application: FastAPI, settings, advisor, records=None) -> FastAPI:
    import gradio as gr

    from app.records.store import Records
    from app.web.chat_page import build_page, page_theme

    records = records or Records.from_settings(settings)
    page = build_page(advisor, records.feedback, records.questions)
    page.queue(
        max_size=settings.queue_max_size,
        default_concurrency_limit=settings.queue_concurrency,
        api_open=False,
    )
    _refuse_file_route(application)
    return gr.mount_gradio_app(
        application,
        page,
        path="/",
        server_name=settings.server_host,
        server_port=settings.server_port,
        footer_links=[],
        run_history=False,
        allowed_paths=[],
        blocked_paths=[Path(__file__).anchor, str(settings.advisor_home)],  # the whole filesystem
        show_error=False,
        max_file_size=UPLOAD_LIMIT,
        ssr_mode=False,
        mcp_server=False,
        theme=page_theme(),
        css_paths=[STATIC / "page.css"],
        js=(STATIC / "page.js").read_text(encoding="utf-8"),  # Chinese everywhere, plain-text copy, the counter
    )
