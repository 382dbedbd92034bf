"""The page's 👍/👎 in headless Chromium: 👎 asks why (fixed reasons + optional words) and stores it;
an error bubble offers nothing to rate. Screenshots go to test-artifacts/page-dislike-*.png."""

from __future__ import annotations

import time

import pytest

from app.records.database import Database
from app.records.feedback_store import FeedbackStore
from app.records.question_reports import load_questions
from app.server import create_app
from tests.support.browser import ARTIFACTS
from tests.support.servers import serve_asgi
from tests.web.test_page_browser import DESKTOP, ask, bot_bubbles, open_page

pytestmark = pytest.mark.browser

QUESTION = "洪山区中小企业买算力有补贴吗"


def wait_for(check, timeout: float = 10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    return check()


def test_dislike_asks_why_and_errors_get_no_thumbs(browser, settings, advisor, isolated_home):
    url = f"sqlite:///{isolated_home / 'page-records.sqlite3'}"
    with serve_asgi(create_app(settings.model_copy(update={"database_url": url}), advisor)) as page_url:
        context, page, problems = open_page(browser, page_url, DESKTOP)
        ask(page, QUESTION)
        ask(page, "太长" * 300)  # over MAX_QUESTION_CHARS (pasted past maxlength by a script): an error bubble
        answer, error = bot_bubbles(page).nth(0), bot_bubbles(page).nth(1)
        assert "问题太长" in error.inner_text()

        answer.hover()
        assert page.locator("#pa-chat button[aria-label='踩']:visible").count() == 1, "thumbs under the answer only"
        panel = page.locator("#pa-dislike")
        assert not panel.is_visible()
        page.locator("#pa-chat button[aria-label='踩']:visible").click()
        panel.wait_for(state="visible", timeout=5000)
        assert panel.get_by_label("信息有误或过期").is_visible()
        for reason in ("答非所问", "不完整", "看不懂", "其他"):
            assert panel.get_by_label(reason).count() == 1
        panel.get_by_label("信息有误或过期").check()
        panel.locator("#pa-dislike-comment textarea, #pa-dislike-comment input").first.fill("补贴比例已经调整")
        page.screenshot(path=ARTIFACTS / "page-dislike-reasons.png")
        page.locator("#pa-dislike-submit").click()
        panel.wait_for(state="hidden", timeout=5000)

        store = FeedbackStore(Database(url))
        row = wait_for(lambda: next((r for r in store.recent() if r.reason), None))
        assert row is not None, "the reason was stored"
        assert (row.rating, row.reason, row.comment, row.question) == ("down", "信息有误或过期", "补贴比例已经调整", QUESTION)
        logged = wait_for(lambda: load_questions(store.database))
        assert [(q.surface, q.question, q.rating, q.reason) for q in logged] == [("page", QUESTION, "down", "信息有误或过期")]
        assert logged[0].session_hash, "the conversation is grouped by a hash of the page session"
        page.screenshot(path=ARTIFACTS / "page-dislike-stored.png")
        assert problems == []
        context.close()
