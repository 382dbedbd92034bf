"""GET /api/policies, GET /healthz, the OpenAPI schema and /docs (served without any CDN)."""

from __future__ import annotations

import re

import httpx


def test_policies_list_status_and_dates(api: httpx.Client) -> None:
    body = api.get("/api/policies").json()
    assert body["today"] == "2026-11-23"
    by_id = {p["doc_id"]: p for p in body["policies"]}
    assert set(by_id) == {"hongshan-ai-2025", "wuhan-opc-2026", "wuhan-ai-pilot-zone"}
    assert by_id["wuhan-ai-pilot-zone"]["status"] == "expired" and by_id["wuhan-ai-pilot-zone"]["status_label"] == "已失效"
    hongshan = by_id["hongshan-ai-2025"]
    assert hongshan["status_label"] == "现行有效" and hongshan["doc_number"] == "洪政规〔2025〕2号"
    assert (hongshan["effective_from"], hongshan["valid_until"]) == ("2025-09-12", "2027-12-31")


def test_healthz_reports_the_index(api: httpx.Client) -> None:
    body = api.get("/healthz").json()
    assert body["status"] == "ok" and body["mode"] == "extractive"
    assert body["documents"] == 3 and body["chunks"] > 20 and re.fullmatch(r"[0-9a-f]+", body["index_version"])


def test_openapi_describes_chat_with_pydantic_models_and_streaming(api: httpx.Client) -> None:
    schema = api.get("/openapi.json").json()
    chat = schema["paths"]["/api/chat"]["post"]
    assert chat["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ChatRequest")
    ok = chat["responses"]["200"]["content"]
    assert ok["application/json"]["schema"]["$ref"].endswith("/ChatResponse") and "text/event-stream" in ok
    assert chat["responses"]["429"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    response_fields = schema["components"]["schemas"]["ChatResponse"]["properties"]
    assert {"answer", "citations", "refused", "session_id", "resolved_question"} <= set(response_fields)
    assert {"/api/policies", "/healthz"} <= set(schema["paths"])


def test_docs_page_loads_its_assets_from_this_server(api: httpx.Client) -> None:
    page = api.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert assets and all(a.startswith("/") for a in assets), assets  # nothing from a CDN: works offline
    for asset in assets:
        assert api.get(asset).status_code == 200, asset
    assert "/openapi.json" in page.text
    assert api.get("/redoc").status_code == 200
