"""POST /api/match over real HTTP: a profile in, provisions grouped by policy with amounts and citations out."""

from __future__ import annotations

import httpx

from app.api.schemas import MatchResponse
from tests.api.conftest import ALLOWED, serve_api
from tests.support.corpus import TODAY


def _items(body: dict) -> list[dict]:
    return [item for group in body["policies"] for item in group["items"]]


def test_an_opc_spending_40_wan_on_compute_gets_at_most_20_from_the_city(api: httpx.Client) -> None:
    response = api.post("/api/match", json={"identities": ["OPC"], "activities": [{"purpose": "算力服务", "amount_wan": 40}]})
    assert response.status_code == 200
    body = response.json()
    MatchResponse.model_validate(body)
    voucher = next(i for i in _items(body) if i["provision"]["form"] == "券")
    assert voucher["verdict"] == "适用"
    assert voucher["calculation"]["formula"] == "40万元 × 50% = 20万元"
    assert voucher["calculation"]["conclusion"] == "最多可获20万元"
    assert voucher["highest_only"]["higher_wan"] == 20
    # Every item points at a citation of its own clause, with its sentence highlighted.
    citations = {c["ref"]: c for c in body["citations"]}
    for item in _items(body):
        cited = citations[item["ref"]]
        assert (cited["doc_id"], cited["clause"]) == (item["provision"]["doc_id"], item["provision"]["clause"])
        assert any(cited["text"][s:e] == item["provision"]["sentence"] for s, e in cited["highlights"])
    assert body["today"] == TODAY.isoformat() and body["expired"] == []


def test_a_hongshan_sme_gets_the_district_measures_for_sure_and_the_city_opc_ones_as_maybe(api: httpx.Client) -> None:
    body = api.post("/api/match", json={"identities": ["中小企业"], "district": "洪山区",
                                         "activities": [{"purpose": "模型备案", "count": 2}]}).json()
    groups = {g["doc_id"]: g for g in body["policies"]}
    assert list(groups) == ["hongshan-ai-2025", "wuhan-opc-2026"]
    compute = next(i for i in groups["hongshan-ai-2025"]["items"] if i["provision"]["purpose"] == "算力服务")
    assert compute["verdict"] == "适用" and compute["unsettled"] == []
    filing = next(i for i in groups["hongshan-ai-2025"]["items"] if i["provision"]["purpose"] == "模型备案")
    assert filing["calculation"]["result_wan"] == 200
    assert {i["verdict"] for i in groups["wuhan-opc-2026"]["items"]} == {"可能适用"}


def test_expired_policies_come_apart_only_when_asked(api: httpx.Client) -> None:
    plain = api.post("/api/match", json={"identities": ["企业"]}).json()
    asked = api.post("/api/match", json={"identities": ["企业"], "include_expired": True}).json()
    assert plain["expired"] == [] and [g["doc_id"] for g in asked["expired"]] == ["wuhan-ai-pilot-zone"]
    assert all(g["status"] == "in_force" for g in asked["policies"])


def test_a_bad_profile_is_a_chinese_422(api: httpx.Client) -> None:
    for body, words in (
        ({"identities": []}, "identities（身份）"),
        ({"identities": ["外星人"]}, "identities（身份）"),
        ({"identities": ["OPC"], "activities": [{"purpose": "吃饭"}]}, "purpose（用途）"),
        ({"identities": ["OPC"], "salary": 1}, "请求格式不正确"),
    ):
        response = api.post("/api/match", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "invalid_request" and words in response.json()["error"]["message"]


def test_the_origin_guard_and_the_rate_limit_hold_as_for_chat(settings, advisor) -> None:
    profile = {"identities": ["OPC"]}
    with serve_api(settings, advisor, allowed_origins=[ALLOWED], rate_limit_per_minute=2) as base, httpx.Client(base_url=base, timeout=30) as client:
        refused = client.post("/api/match", json=profile, headers={"Origin": "http://evil.example"})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "origin_not_allowed"
        allowed = client.post("/api/match", json=profile, headers={"Origin": ALLOWED})
        assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == ALLOWED
        assert client.post("/api/match", json=profile).status_code == 200
        limited = client.post("/api/match", json=profile)
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert "秒后再试" in limited.json()["error"]["message"]
        # Matching has its own window: the visitor can still ask questions.
        assert client.post("/api/chat", json={"message": "洪山区算力补贴"}).status_code == 200


def test_the_match_models_are_in_the_openapi_schema(api: httpx.Client) -> None:
    schema = api.get("/openapi.json").json()
    operation = schema["paths"]["/api/match"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/MatchRequest")
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/MatchResponse")
    components = schema["components"]["schemas"]
    assert "OPC" in components["MatchRequest"]["properties"]["identities"]["items"]["enum"]
    assert "conclusion" in components["Calculation"]["properties"]
