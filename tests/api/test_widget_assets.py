"""/widget.js and /widget.css: served to any site, and the script never parses server text as HTML."""

from __future__ import annotations

import re

import httpx

from app.api.routes.widget_assets import STATIC


def test_widget_files_are_served_with_the_right_types(api: httpx.Client) -> None:
    script = api.get("/widget.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert script.headers["x-content-type-options"] == "nosniff"
    assert script.headers["cross-origin-resource-policy"] == "cross-origin"
    style = api.get("/widget.css")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")


def test_widget_script_uses_no_html_parsing_sinks() -> None:
    """Everything is set with textContent / text nodes; these sinks would parse strings as HTML."""
    source = (STATIC / "widget.js").read_text(encoding="utf-8")
    sinks = re.findall(r"\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|eval)\b", source)
    assert sinks == []
