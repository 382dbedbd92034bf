"""The 政策匹配 tab in headless Chromium at 1280 and 375 px: tick who you are, fill figures, read the cards.

Screenshots go to test-artifacts/ (page-*-match*.png).
"""

from __future__ import annotations

import pytest

from app.server import create_app
from tests.support.browser import ARTIFACTS
from tests.support.servers import serve_asgi
from tests.web.test_page_browser import DESKTOP, PHONE, no_horizontal_overflow, open_page

pytestmark = pytest.mark.browser
RESULT_TIMEOUT = 30_000  # ms


@pytest.fixture(scope="module")
def page_url(settings, advisor):
    with serve_asgi(create_app(settings, advisor)) as url:
        yield url


def open_match_tab(browser, url: str, viewport: dict):
    context, page, problems = open_page(browser, url, viewport)
    page.get_by_role("tab", name="政策匹配").click()
    page.wait_for_selector("#pa-match-run")
    return context, page, problems


SHOWN = "document.querySelector('#pa-match-result .pa-match-result, #pa-match-result .pa-match-empty, #pa-match-result .pa-error')"


def run_match(page) -> None:
    """Press 开始匹配 and wait until a new result replaces whatever was shown."""
    before = page.evaluate(f"{SHOWN}?.outerHTML ?? ''")
    page.locator("#pa-match-run").click()
    page.wait_for_function(
        f"(before) => {{ const shown = {SHOWN}; return shown && shown.outerHTML !== before; }}", arg=before, timeout=RESULT_TIMEOUT
    )


def pick_district(page, name: str) -> None:
    page.locator("#pa-match-district input").click()
    page.get_by_role("option", name=name).click()


def test_an_opc_in_hongshan_with_figures_gets_cards_with_amounts_and_sources(browser, page_url):
    context, page, problems = open_match_tab(browser, page_url, DESKTOP)
    page.screenshot(path=ARTIFACTS / "page-desktop-match-form.png")
    page.get_by_label("OPC", exact=True).check()
    page.get_by_label("中小企业", exact=True).check()
    pick_district(page, "洪山区")
    page.get_by_label("算力服务支出（万元）").fill("60")
    page.get_by_label("通过备案的模型（个）").fill("3")
    run_match(page)

    result = page.locator("#pa-match-result")
    policies = result.locator(".pa-match-policy h3")
    assert policies.count() == 2
    text = result.inner_text()
    assert "60万元 × 20% = 12万元" in text and "最多可获12万元" in text
    assert "60万元 × 50% = 30万元" in text and "最多可获20万元" in text
    assert "3 × 100万元（每个模型）= 300万元" in text and "最多可获200万元" in text
    assert "就高不重复" in text
    voucher = result.locator(".pa-match-item", has_text="算力服务券").first
    assert voucher.locator(".pa-verdict").inner_text() == "适用"
    # The same source card as the chat: closed, then the clause with the provision's sentence marked.
    card = voucher.locator("details.pa-card")
    assert not card.locator(".pa-clause-text").is_visible()
    card.locator("summary").click()
    assert card.locator(".pa-clause-text mark").first.inner_text().startswith("设立算力服务券")
    assert "市数据局" in card.inner_text() and card.locator(".pa-badge").inner_text() == "现行有效"
    page.screenshot(path=ARTIFACTS / "page-desktop-match.png", full_page=True)
    assert no_horizontal_overflow(page)
    assert problems == []
    context.close()


def test_phone_width_form_and_cards_fit_and_expired_come_apart(browser, page_url):
    context, page, problems = open_match_tab(browser, page_url, PHONE)
    page.screenshot(path=ARTIFACTS / "page-phone-match-form.png", full_page=True)
    run_match(page)  # no identity ticked: asked to tick one
    assert "请至少勾选一种身份" in page.locator("#pa-match-result").inner_text()

    page.get_by_label("企业", exact=True).check()
    pick_district(page, "其他区")
    page.get_by_label("包含已失效政策（仅供了解）").check()
    page.get_by_label("场景项目总投入（万元）").fill("500")
    run_match(page)
    result = page.locator("#pa-match-result")
    text = result.inner_text()
    assert "洪山区支持人工智能产业高质量发展若干措施" not in text  # registered elsewhere
    assert "已失效政策（仅供了解，不能再据此申请）" in text
    expired = result.locator(".pa-match-policy-expired")
    assert expired.count() == 1 and "已失效" in expired.locator("h3").inner_text()
    assert "500万元 × 30% = 150万元" in text and "最多可获100万元" in text
    first = result.locator(".pa-match-item").first
    first.locator("details.pa-card summary").click()
    first.scroll_into_view_if_needed()
    assert no_horizontal_overflow(page)
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=ARTIFACTS / "page-phone-match.png")
    page.screenshot(path=ARTIFACTS / "page-phone-match-full.png", full_page=True)
    assert problems == []
    context.close()
