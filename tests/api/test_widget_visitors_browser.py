"""The widget as service centers embed it and visitors use it (issue 15): per-site data- settings (and
hostile ones), suggested questions, the counter, restored position, an outage and a server restart.

Screenshots (1280 and 375 wide) go to test-artifacts/widget-visitors-*.png.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from app.advisor import Advisor
from policy_core.settings import Settings
from tests.api.conftest import api_app
from tests.api.test_widget_browser import (  # noqa: F401 - fixtures
    DESKTOP,
    PHONE,
    W,
    Sites,
    ask,
    demo_site,
    last_answer,
    open_widget,
    page_at,
    settle_scrolling,
    sites,
)
from tests.support.browser import ARTIFACTS
from tests.support.servers import free_port, serve_asgi

pytestmark = pytest.mark.browser

HOSTILE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>hostile</title></head><body>
<p>站点</p>
<script src="{app}/widget.js" defer
  data-title='<img src=x onerror="window.__x=1">小助手'
  data-color="red;background:url(javascript:window.__x=2)"
  data-position="center"
  data-z-index="99999999999"
  data-greeting='<script>window.__x=3</script>欢迎'
  data-questions='<b onmouseover="window.__x=4">粗体</b>|洪山区中小企业买算力有补贴吗'
  data-open="false"
  data-contact-name='<a href="javascript:window.__x=5">客服</a>'
  data-contact-phone='<svg onload="window.__x=6">'
  data-contact-url="javascript:window.__x=7"></script>
</body></html>"""


def shadow_count(page, selector: str) -> int:
    return page.evaluate(f"() => document.querySelector('{W}').shadowRoot.querySelectorAll('{selector}').length")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_site_settings_from_the_script_tag(sites: Sites, page_at, viewport: dict) -> None:
    page = page_at(f"{sites.host}/settings.html", viewport)
    expect(page.locator(f"{W} .pa-panel")).to_be_visible()  # data-open
    expect(page.locator(f"{W} .pa-title")).to_have_text("光谷政策小助手")
    expect(page.locator(f"{W} .pa-welcome .pa-bubble")).to_contain_text("光谷创业服务站的政策小助手")
    expect(page.locator(f"{W} .pa-welcome .pa-suggestion")).to_have_text(["洪山区中小企业买算力有补贴吗", "OPC创业者租房有什么优惠", "找人工咨询"])
    assert page.locator(f"{W} .pa-send").evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(29, 78, 216)"
    assert page.locator(f"{W} .pa-panel").evaluate("p => getComputedStyle(p).zIndex") == "9000"
    box = page.locator(f"{W} .pa-panel").bounding_box()
    if viewport is DESKTOP:
        assert box["x"] < 100, "data-position=left"
    else:
        assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}
    with page.expect_request(f"{sites.app}/api/chat") as sent:
        page.locator(f"{W} .pa-welcome .pa-suggestion", has_text="找人工咨询").click()
    assert json.loads(sent.value.post_data)["contact"] == {
        "name": "光谷创业服务站", "phone": "027-12345678", "url": "https://desk.example.cn/help"
    }
    answer = last_answer(page)
    expect(answer.locator(".pa-bubble")).to_contain_text("光谷创业服务站")
    expect(answer.locator(".pa-bubble")).to_contain_text("027-12345678")
    settle_scrolling(page)
    page.screenshot(path=str(ARTIFACTS / f"widget-visitors-settings-{'desktop' if viewport is DESKTOP else 'phone'}.png"))


@contextlib.contextmanager
def hostile_site(app_base: str, port: int) -> Iterator[str]:
    """A loopback site whose script tag carries markup and script in every data- attribute."""
    body = HOSTILE.format(app=app_base).encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_attribute_values_are_text_or_ignored(settings: Settings, advisor: Advisor, page_at) -> None:
    port = free_port()
    allowed = settings.model_copy(update={"allowed_origins": [f"http://127.0.0.1:{port}"]})
    with serve_asgi(api_app(allowed, advisor)) as app_base, hostile_site(app_base, port) as site:
        page = page_at(f"{site}/")
        hostile_widget_stays_text(page, app_base)


def hostile_widget_stays_text(page, app_base: str) -> None:
    expect(page.locator(f"{W} .pa-launcher")).to_be_visible()
    expect(page.locator(f"{W} .pa-panel")).to_be_hidden()  # data-open="false"
    box = page.locator(f"{W} .pa-launcher").bounding_box()
    assert box["x"] > DESKTOP["width"] - 120, "an unknown position falls back to the right"
    assert page.locator(f"{W} .pa-launcher").evaluate("b => getComputedStyle(b).zIndex") == "2147483000"
    assert page.locator(f"{W} .pa-launcher").evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(7, 193, 96)"
    page.locator(f"{W} .pa-launcher").click()
    expect(page.locator(f"{W} .pa-panel")).to_be_visible()
    expect(page.locator(f"{W} .pa-title")).to_have_text('<img src=x onerror="window.__x=1">小助手'[:30])  # text, cut to 30
    expect(page.locator(f"{W} .pa-welcome .pa-bubble")).to_have_text("<script>window.__x=3</script>欢迎")
    expect(page.locator(f"{W} .pa-welcome .pa-suggestion").first).to_have_text('<b onmouseover="window.__x=4">粗体</b>')
    page.locator(f"{W} .pa-welcome .pa-suggestion").first.hover()
    assert shadow_count(page, "img, script, b, a, [onload], [onerror], [onmouseover]") == 0
    with page.expect_request(f"{app_base}/api/chat") as sent:
        ask(page, "转人工")
    assert json.loads(sent.value.post_data)["contact"] == {"name": '<a href="javascript:window.__x=5">客服</a>'}  # phone and url refused
    expect(last_answer(page).locator(".pa-bubble")).to_contain_text('<a href="javascript:window.__x=5">客服</a>')
    assert shadow_count(page, "img, script, b, a, [onload], [onerror], [onmouseover]") == 0
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__x") == "undefined"
    page.screenshot(path=str(ARTIFACTS / "widget-visitors-hostile.png"))


def test_follow_ups_counter_and_the_latest_answer_after_navigation(sites: Sites, page_at) -> None:
    page = page_at(f"{sites.host}/index.html", PHONE)
    open_widget(page)
    expect(page.locator(f"{W} .pa-welcome .pa-suggestion").first).to_have_text(
        "洪山区企业科技项目奖励有多少？"  # no data-questions: the server's starters, drawn from the corpus
    )
    ask(page, "OPC创业者租房有什么优惠")
    offered = last_answer(page).locator(".pa-suggestion")
    expect(offered.first).to_contain_text("武汉市OPC")
    assert 2 <= offered.count() <= 3
    question = offered.first.inner_text()
    offered.first.click()
    expect(page.locator(f"{W} .pa-visitor .pa-bubble").last).to_have_text(question)
    expect(page.locator(f"{W} .pa-advisor:not(.pa-welcome):not(.pa-typing):not(.pa-streaming)")).to_have_count(2, timeout=20_000)
    expect(page.locator(f"{W} .pa-advisor:not(.pa-welcome)").first.locator(".pa-suggestions")).to_be_hidden()  # only the latest's
    box = page.locator(f"{W} .pa-input")
    assert box.get_attribute("maxlength") == "500"
    box.press_sequentially("洪山区")
    expect(page.locator(f"{W} .pa-counter")).to_have_text("3/500")
    settle_scrolling(page)
    page.screenshot(path=str(ARTIFACTS / "widget-visitors-suggestions-phone.png"))

    page.goto(f"{sites.host}/services.html")  # another page of the site: the widget opens at the latest answer
    expect(page.locator(f"{W} .pa-panel")).to_be_visible()
    settle_scrolling(page)
    at_end = page.evaluate(
        f"() => {{ const m = document.querySelector('{W}').shadowRoot.querySelector('.pa-messages');"
        " return m.scrollHeight - m.scrollTop - m.clientHeight; }"
    )
    assert at_end <= 2
    expect(last_answer(page).locator(".pa-rating")).to_be_in_viewport()


def test_outage_keeps_the_conversation_and_the_question_and_a_restart_keeps_the_session(
    settings: Settings, advisor: Advisor, page_at, tmp_path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "index").symlink_to(settings.index_dir, target_is_directory=True)
    site_port, app_port = free_port(), free_port()
    allowed = settings.model_copy(update={"advisor_home": home, "allowed_origins": [f"http://127.0.0.1:{site_port}"]})
    app_base = f"http://127.0.0.1:{app_port}"
    with demo_site(app_base, site_port) as site:
        with serve_asgi(api_app(allowed, advisor), app_port):
            page = page_at(f"{site}/", DESKTOP)
            open_widget(page)
            ask(page, "洪山区中小企业买算力有补贴吗")
        page.locator(f"{W} .pa-input").fill("那市里呢？")
        page.locator(f"{W} .pa-send").click()
        notice = page.locator(f"{W} .pa-notice-error").last
        expect(notice).to_contain_text("暂时连不上政策小助手服务")
        expect(notice).not_to_contain_text("检查网络")
        expect(page.locator(f"{W} .pa-input")).to_have_value("那市里呢？")  # the question is back in the box
        expect(last_answer(page).locator(".pa-chip").first).to_contain_text("五、强化算力普惠供给")  # the conversation stays
        settle_scrolling(page)
        page.screenshot(path=str(ARTIFACTS / "widget-visitors-outage.png"))

        with serve_asgi(api_app(allowed, advisor), app_port):  # restarted: the session is in the data home
            page.locator(f"{W} .pa-send").click()
            expect(page.locator(f"{W} .pa-advisor:not(.pa-welcome):not(.pa-typing):not(.pa-streaming)")).to_have_count(2, timeout=20_000)
            follow = last_answer(page).locator(".pa-bubble")
            expect(follow).to_contain_text("武汉市支持人工智能OPC创新发展若干措施")
            expect(follow).not_to_contain_text("之前的对话记录已经丢失")

            too_long = "补" * 501
            page.locator(f"{W} .pa-input").evaluate("(el, t) => { el.value = t; el.dispatchEvent(new Event('input')); }", too_long)
            expect(page.locator(f"{W} .pa-counter")).to_have_class("pa-counter pa-counter-full")
            page.locator(f"{W} .pa-send").click()
            expect(page.locator(f"{W} .pa-notice-error").last).to_contain_text("问题太长")
            expect(page.locator(f"{W} .pa-input")).to_have_value(too_long)
            settle_scrolling(page)
            page.screenshot(path=str(ARTIFACTS / "widget-visitors-after-restart.png"))
