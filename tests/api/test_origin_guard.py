"""ALLOWED_ORIGINS: CORS for browsers and a server-side check of the Origin header."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import ALLOWED

FOREIGN = "http://evil.example"
PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}


@pytest.mark.parametrize(("method", "path"), [("POST", "/api/chat"), ("GET", "/api/policies")])
def test_foreign_origin_is_refused_server_side(api: httpx.Client, method: str, path: str) -> None:
    response = api.request(method, path, json={"message": "洪山区算力补贴"}, headers={"Origin": FOREIGN})
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "origin_not_allowed" and FOREIGN in error["message"] and "ALLOWED_ORIGINS" in error["message"]
    assert "access-control-allow-origin" not in response.headers


def test_foreign_preflight_is_refused(api: httpx.Client) -> None:
    response = api.options("/api/chat", headers={"Origin": FOREIGN, **PREFLIGHT})
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers


def test_allowed_origin_gets_cors_headers(api: httpx.Client) -> None:
    preflight = api.options("/api/chat", headers={"Origin": ALLOWED, **PREFLIGHT})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in preflight.headers["access-control-allow-methods"]
    answer = api.post("/api/chat", json={"message": "洪山区中小企业买算力有补贴吗"}, headers={"Origin": ALLOWED})
    assert answer.status_code == 200 and answer.json()["citations"]
    assert answer.headers["access-control-allow-origin"] == ALLOWED
    assert "retry-after" in answer.headers["access-control-expose-headers"].lower()  # the widget reads it on 429


def test_errors_for_allowed_origins_are_readable_by_the_browser(api: httpx.Client) -> None:
    response = api.post("/api/chat", json={"message": ""}, headers={"Origin": ALLOWED})
    assert response.status_code == 400
    assert response.headers["access-control-allow-origin"] == ALLOWED


def test_the_apps_own_origin_is_always_allowed(api: httpx.Client, api_base: str) -> None:
    response = api.post("/api/chat", json={"message": "洪山区中小企业买算力有补贴吗"}, headers={"Origin": api_base})
    assert response.status_code == 200


def test_same_host_on_another_port_is_another_origin(api: httpx.Client, api_base: str) -> None:
    other_port = api_base.rsplit(":", 1)[0] + ":1"
    assert api.get("/api/policies", headers={"Origin": other_port}).status_code == 403


def test_requests_without_origin_are_not_from_a_page_and_pass(api: httpx.Client) -> None:
    assert api.get("/api/policies").status_code == 200


def test_widget_files_and_health_are_public(api: httpx.Client) -> None:
    for path in ("/widget.js", "/widget.css", "/healthz"):
        assert api.get(path, headers={"Origin": FOREIGN}).status_code == 200
