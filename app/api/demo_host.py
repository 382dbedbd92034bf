"""The demo host page: a stand-in service-center site on another origin that embeds the widget.

`policy-advisor demo-host` serves demo/host_page/ with the widget's script address
pointed at the running app, so the cross-origin embedding can be tried (and is tested).
"""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from policy_core.settings import PROJECT_ROOT

DEMO_DIR = PROJECT_ROOT / "demo" / "host_page"
WIDGET_SRC_IN_FILES = "http://127.0.0.1:7860/widget.js"


class DemoPageHandler(SimpleHTTPRequestHandler):
    """Static files of the demo site; HTML pages get the widget address of the app being demonstrated."""

    def __init__(self, *args, widget_src: str, **kwargs) -> None:
        self.widget_src = widget_src
        super().__init__(*args, directory=str(DEMO_DIR), **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        name = "index.html" if path in ("", "/") else path.lstrip("/")
        page = (DEMO_DIR / name).resolve()
        if page.suffix == ".html" and page.parent == DEMO_DIR.resolve() and page.is_file():
            body = page.read_text(encoding="utf-8").replace(WIDGET_SRC_IN_FILES, self.widget_src).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # quiet: this is a demo, not a web server to monitor


def make_demo_server(host: str, port: int, app_url: str) -> ThreadingHTTPServer:
    """A demo-site server (not yet serving: call serve_forever)."""
    if not (DEMO_DIR / "index.html").is_file():
        raise FileNotFoundError(f"the demo page is missing: {DEMO_DIR / 'index.html'}")
    handler = functools.partial(DemoPageHandler, widget_src=app_url.rstrip("/") + "/widget.js")
    return ThreadingHTTPServer((host, port), handler)
