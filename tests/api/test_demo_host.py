"""The demo host site serves its pages with the widget address of the app being demonstrated."""

from __future__ import annotations

import threading

import httpx

from app.api.demo_host import make_demo_server
from tests.support.servers import free_port


def test_demo_pages_point_at_the_app_and_nothing_else_is_served() -> None:
    port = free_port()
    server = make_demo_server("127.0.0.1", port, "http://127.0.0.1:5555/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for path in ("/", "/index.html", "/services.html", "/settings.html"):
                page = client.get(path)
                assert page.status_code == 200
                assert '<script src="http://127.0.0.1:5555/widget.js"' in page.text and "7860" not in page.text
            assert client.get("/site.css").status_code == 200
            assert client.get("/../../pyproject.toml").status_code == 404
            assert client.get("/%2e%2e/%2e%2e/pyproject.toml").status_code == 404
    finally:
        server.shutdown()
        server.server_close()
