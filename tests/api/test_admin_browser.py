"""`/admin` in headless Chromium: sign in through the form, a stored <img onerror> question shows as
text and runs nothing, filters and the export button work. Screenshots: test-artifacts/admin-*.png."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from policy_core.settings import Settings
from tests.support.admin_site import ADMIN_TOKEN, ANSWERED_QUESTION, DISLIKE_COMMENT, REFUSED_QUESTION, XSS_QUESTION, AdminSite, admin_site
from tests.support.browser import ARTIFACTS

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}


@pytest.fixture(scope="module")
def site(settings: Settings, advisor, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminSite]:
    with admin_site(settings, advisor, tmp_path_factory.mktemp("admin-browser-records")) as running:
        yield running


@pytest.mark.parametrize("device", VIEWPORTS)
def test_admin_page_in_the_browser(browser: Browser, site: AdminSite, device: str):
    context = browser.new_context(viewport=VIEWPORTS[device], device_scale_factor=1, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{site.base}/admin")
        page.fill("input[name=token]", "not-the-token")
        page.click("button[type=submit]")
        expect(page.get_by_role("alert")).to_have_text("口令不正确。")
        page.fill("input[name=token]", ADMIN_TOKEN)
        page.click("button[type=submit]")
        expect(page.locator("header h1")).to_have_text("政策小助手 · 提问管理")
        assert ADMIN_TOKEN not in page.url and "token" not in page.url
        assert all(c["httpOnly"] and c["sameSite"] == "Strict" for c in context.cookies())
        assert page.evaluate("document.cookie") == "", "the session cookie is out of the page's reach"

        unanswered = page.locator("#unanswered")
        expect(unanswered).to_contain_text(XSS_QUESTION)  # the markup shows as the text it is
        expect(unanswered).to_contain_text(REFUSED_QUESTION)
        expect(page.locator("#disliked")).to_contain_text(DISLIKE_COMMENT)
        assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
        assert page.locator("svg.chart").count() == 3
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[device]["width"], "no sideways page scroll"
        page.screenshot(path=str(ARTIFACTS / f"admin-{device}.png"), full_page=True)

        page.select_option("select[name=surface]", "widget")
        page.click("form.filters button[type=submit]")
        expect(page.locator("#disliked")).to_contain_text(ANSWERED_QUESTION)
        expect(page.get_by_text("这段时间没有未回答的问题。")).to_be_visible()
        assert "surface=widget" in page.url

        with page.expect_download() as download:
            page.get_by_text("导出 JSONL").click()
        exported = download.value.path().read_text(encoding="utf-8")
        assert ANSWERED_QUESTION in exported and REFUSED_QUESTION not in exported, "the export follows the filter"
        assert dialogs == [] and page.evaluate("window.__xss") is None
    finally:
        context.close()
