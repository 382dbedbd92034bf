"""`/admin` over HTTP: off without ADMIN_TOKEN, login and header auth, wrong tokens rate-limited,
stored HTML shown escaped, filters, and exports identical to `policy-advisor questions --export`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import httpx
import pytest
from typer.testing import CliRunner

from app.api.admin_auth import WRONG_TOKENS_PER_MINUTE
from app.cli import app as cli_app
from app.records.question_reports import EXPORT_FIELDS
from policy_core.settings import Settings
from tests.api.conftest import client_from, serve_api
from tests.support.admin_site import (
    ADMIN_TOKEN, ANSWERED_QUESTION, CONTROL_QUESTION, DISLIKE_COMMENT, REFUSED_QUESTION, SITE, XSS_QUESTION, AdminSite,
    admin_site,
)  # fmt: skip

BEARER = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture(scope="module")
def site(settings: Settings, advisor, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminSite]:
    with admin_site(settings, advisor, tmp_path_factory.mktemp("admin-records")) as running:
        yield running


def test_admin_is_not_there_without_a_token(settings: Settings, advisor):
    with serve_api(settings, advisor) as base, httpx.Client(base_url=base) as client:
        assert client.get("/admin").status_code == 404
        assert client.get("/admin", headers={"Authorization": "Bearer anything"}).status_code == 404
        assert client.post("/admin/login", data={"token": "anything"}).status_code == 404
        assert client.get("/admin/export?format=csv").status_code == 404


def test_login_form_then_cookie_then_logout(site: AdminSite):
    with httpx.Client(base_url=site.base) as browser:
        first = browser.get("/admin")
        assert first.status_code == 401 and 'name="token"' in first.text and ANSWERED_QUESTION not in first.text
        wrong = browser.post("/admin/login", data={"token": ADMIN_TOKEN + "x"})
        assert wrong.status_code == 401 and "口令不正确" in wrong.text and "set-cookie" not in wrong.headers

        right = browser.post("/admin/login", data={"token": ADMIN_TOKEN})
        assert right.status_code == 303 and right.headers["location"] == "/admin"
        cookie = right.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/admin" in cookie
        assert ADMIN_TOKEN not in cookie, "the cookie holds a signed session, not the token"

        page = browser.get("/admin")
        assert page.status_code == 200 and "提问管理" in page.text and ANSWERED_QUESTION in page.text
        assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none': no script at all
        browser.post("/admin/logout")
        assert browser.get("/admin").status_code == 401


def test_forged_or_foreign_sessions_are_refused(site: AdminSite):
    with httpx.Client(base_url=site.base) as client:
        client.cookies.set("pa_admin", "99999999999.deadbeef", path="/admin")
        assert client.get("/admin").status_code == 401
        foreign = client.post("/admin/login", data={"token": ADMIN_TOKEN}, headers={"Origin": "http://evil.example"})
        assert foreign.status_code == 403


def test_header_auth_and_never_a_token_in_the_url(site: AdminSite):
    with client_from("127.0.0.2", site.base) as client:
        assert client.get("/admin", headers=BEARER).status_code == 200
        assert client.get("/admin", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get(f"/admin?token={ADMIN_TOKEN}").status_code == 401
        assert client.get(f"/admin/export?format=csv&token={ADMIN_TOKEN}").status_code == 401


def test_wrong_tokens_are_rate_limited_per_address(site: AdminSite):
    with client_from("127.0.0.3", site.base) as guesser, client_from("127.0.0.4", site.base) as maintainer:
        for n in range(WRONG_TOKENS_PER_MINUTE):
            assert guesser.post("/admin/login", data={"token": f"guess-{n}"}).status_code == 401
        blocked = guesser.post("/admin/login", data={"token": "guess-again"})
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1 and "秒后再试" in blocked.text
        assert guesser.post("/admin/login", data={"token": ADMIN_TOKEN}).status_code == 429, "blocked means blocked"
        assert guesser.get("/admin", headers=BEARER).status_code == 429
        assert maintainer.post("/admin/login", data={"token": ADMIN_TOKEN}).status_code == 303


def test_stored_html_and_control_characters_are_shown_escaped(site: AdminSite):
    with client_from("127.0.0.5", site.base) as client:
        html = client.get("/admin", headers=BEARER).text
    assert XSS_QUESTION not in html and "<img" not in html
    assert '&lt;img src=x onerror=&quot;alert(document.domain)&quot;&gt;' in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;comment&#x27;)&lt;/script&gt;" in html
    assert "\x1b" not in html and r"北京\x1b[31m有补贴吗\x07" in html


def test_lists_and_filters(site: AdminSite):
    with client_from("127.0.0.6", site.base) as client:
        everything = client.get("/admin", headers=BEARER).text
        unanswered = everything.split('id="unanswered"')[1].split("</table>")[0]
        assert "北京有什么人工智能补贴" in unanswered and ANSWERED_QUESTION not in unanswered
        disliked = everything.split('id="disliked"')[1].split("</table>")[0]
        assert ANSWERED_QUESTION in disliked and "不完整" in disliked and SITE in disliked
        assert "<svg" in everything and "每日提问数，共 4 条" in everything

        widget = client.get("/admin", params={"surface": "widget", "origin": SITE}, headers=BEARER).text
        assert "每日提问数，共 1 条" in widget and REFUSED_QUESTION not in widget
        future = client.get("/admin", params={"since": "2999-01-01", "until": "2999-01-03"}, headers=BEARER).text
        assert "每日提问数，共 0 条，3 天" in future and "没有未回答的问题" in future
        bad = client.get("/admin", params={"since": "yesterday"}, headers=BEARER)
        assert bad.status_code == 400 and "年-月-日" in bad.text
        assert client.get("/admin/export", params={"format": "xml"}, headers=BEARER).status_code == 400


def test_exports_are_the_cli_export(site: AdminSite, tmp_path, monkeypatch: pytest.MonkeyPatch):
    with client_from("127.0.0.7", site.base) as client:
        jsonl = client.get("/admin/export", params={"format": "jsonl"}, headers=BEARER)
        widget_csv = client.get("/admin/export", params={"format": "csv", "surface": "widget"}, headers=BEARER)
    assert jsonl.status_code == 200 and "attachment" in jsonl.headers["content-disposition"]
    rows = [json.loads(line) for line in jsonl.text.splitlines()]
    assert [r["question"] for r in rows] == [XSS_QUESTION, CONTROL_QUESTION, REFUSED_QUESTION, ANSWERED_QUESTION]
    assert rows[-1]["surface"] == "widget" and rows[-1]["origin"] == SITE
    assert (rows[-1]["rating"], rows[-1]["reason"], rows[-1]["comment"]) == ("down", "不完整", DISLIKE_COMMENT)

    assert widget_csv.content.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese
    table = list(csv.DictReader(io.StringIO(widget_csv.content.decode("utf-8-sig"))))
    assert list(table[0]) == EXPORT_FIELDS and [r["question"] for r in table] == [ANSWERED_QUESTION]

    monkeypatch.setenv("DATABASE_URL", site.settings.database_url)
    monkeypatch.setenv("ADVISOR_HOME", str(site.settings.advisor_home))
    target = tmp_path / "questions.jsonl"
    result = CliRunner().invoke(cli_app, ["questions", "--export", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == jsonl.content
