"""The page as founders meet it on a slow network, on a phone, after a server restart: issue 15.

Screenshots (1280 and 375 wide) go to test-artifacts/page-visitors-*.png.
"""

from __future__ import annotations

import re

import pytest

from app.server import create_app
from tests.support.browser import ARTIFACTS
from tests.support.servers import free_port, serve_asgi
from tests.web.test_page_browser import ANSWER_TIMEOUT, DESKTOP, PHONE, ask, bot_bubbles, open_page

pytestmark = pytest.mark.browser

ENGLISH_WORD = re.compile(r"\b(?!OPC\b)[A-Za-z]{3,}\b")
SEEN_LABELS = """() => Array.from(document.querySelectorAll('[aria-label], [title], [data-testid=toast-body]'))
  .filter(e => e.offsetParent !== null || e.closest('#pa-chat'))
  .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.dataset.testid ? e.innerText : null].filter(Boolean).join(' '))"""


@pytest.fixture(scope="module")
def page_url(settings, advisor):
    with serve_asgi(create_app(settings, advisor)) as url:
        yield url


def english_left(page) -> list[str]:
    return [label for label in page.evaluate(SEEN_LABELS) if ENGLISH_WORD.search(label)]


def slow_network(page, latency_ms: int) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1})


def test_slow_network_copy_suggestions_and_chinese_labels(browser, page_url):
    context, page, problems = open_page(browser, page_url, DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page_url)
    slow_network(page, 1500)
    page.fill("#pa-message textarea", "OPC创业者租房有什么优惠")
    page.press("#pa-message textarea", "Enter")
    page.wait_for_timeout(600)  # far less than one round trip: only the browser has acted
    assert page.locator("#pa-chat .pa-question").inner_text() == "OPC创业者租房有什么优惠"
    assert page.locator("#pa-chat .pa-answer").count() == 0
    assert page.locator("#pa-chat .message-row:has(.pa-question) ~ * .dot-flashing, #pa-chat .pending").count() >= 1, "typing dots"
    page.screenshot(path=ARTIFACTS / "page-visitors-slow-network.png")
    page.wait_for_selector("#pa-chat .pa-done", timeout=ANSWER_TIMEOUT)
    assert page.locator("#pa-chat .pa-question").count() == 1, "the question is shown once"
    assert page.input_value("#pa-message textarea") == ""
    slow_network(page, 0)

    # copy: plain text, the sources after it
    page.locator("#pa-chat .pa-answer").hover()
    page.locator("#pa-chat button[aria-label^='复制']").nth(1).click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "<" not in copied and "pa-" not in copied
    answer, sources = copied.split("\n\n出处：\n")
    assert "免租优惠" in answer and answer.rstrip().endswith("市人社局")
    assert sources.startswith("[1] 《武汉市支持人工智能OPC创新发展若干措施》四、构建人才“引育用留”体系（现行有效")

    # related questions under the answer; clicking one asks it
    offered = page.locator("#pa-chat .option")
    assert 2 <= offered.count() <= 3
    question = offered.first.inner_text()
    assert question.startswith("武汉市OPC")
    offered.first.click()
    page.wait_for_function("document.querySelectorAll('#pa-chat .pa-done').length == 2", timeout=ANSWER_TIMEOUT)
    assert page.locator("#pa-chat .pa-question").last.inner_text() == question
    bot_bubbles(page).last.hover()
    assert english_left(page) == []
    page.screenshot(path=ARTIFACTS / "page-visitors-suggestions.png")
    assert problems == []
    context.close()


def test_long_question_is_kept_with_a_counter_and_no_rating_under_the_error(browser, page_url, settings):
    context, page, problems = open_page(browser, page_url, DESKTOP)
    box = page.locator("#pa-message textarea")
    assert box.get_attribute("maxlength") == str(settings.max_question_chars)
    box.press_sequentially("洪山区算力补贴")
    assert page.locator("#pa-message .pa-counter").inner_text() == f"7/{settings.max_question_chars}"
    too_long = "补" * (settings.max_question_chars + 1)  # pasted past the limit by a script: the server still refuses it
    box.evaluate("(el, text) => { el.value = text; el.dispatchEvent(new Event('input', {bubbles: true})); }", too_long)
    page.press("#pa-message textarea", "Enter")
    page.wait_for_selector("#pa-chat .pa-error", timeout=ANSWER_TIMEOUT)
    assert "问题太长" in page.locator("#pa-chat .pa-error").inner_text()
    page.wait_for_function(f"document.querySelector('#pa-message textarea').value.length == {len(too_long)}")
    assert page.locator("#pa-message .pa-counter-full").is_visible()
    page.locator("#pa-chat .pa-error").hover()
    assert page.locator("#pa-chat button[aria-label='赞']:visible, #pa-chat button[aria-label='踩']:visible").count() == 0
    page.screenshot(path=ARTIFACTS / "page-visitors-too-long.png")
    assert problems == []
    context.close()


def test_phone_layout_leaves_the_answers_uncovered(browser, page_url):
    context, page, problems = open_page(browser, page_url, PHONE)
    tabs = page.get_by_role("tab", name="智能问答").bounding_box()
    assert tabs["y"] + tabs["height"] <= 100, "header and tabs stay short on a phone"
    ask(page, "洪山区中小企业买算力有补贴吗")
    ask(page, "那市里呢？")
    chat = page.locator("#pa-chat")
    for icon in chat.locator("button[aria-label='清空对话'], .scroll-down-button-container button").all():
        if not icon.is_visible():
            continue
        box = icon.bounding_box()
        for text in chat.locator(".pa-question, .pa-answer p").all():
            t = text.bounding_box()
            if t is None:
                continue
            overlap = not (box["x"] + box["width"] <= t["x"] or t["x"] + t["width"] <= box["x"] or box["y"] + box["height"] <= t["y"] or t["y"] + t["height"] <= box["y"])
            assert not overlap, "an icon covers the text"
    page.screenshot(path=ARTIFACTS / "page-visitors-phone.png")

    page.get_by_role("tab", name="政策文件").click()
    page.wait_for_selector(".pa-policy")
    page.locator(".pa-policy", has_text="洪山区支持人工智能产业高质量发展若干措施").click()  # the card itself opens the text
    page.wait_for_selector(".pa-doc-clause")
    # the units are named once: by the clause's own words, or (where the text names none) under it
    repeated = page.evaluate(
        "() => Array.from(document.querySelectorAll('.pa-doc-clause')).filter(c => c.querySelector('.pa-units')"
        " && Array.from(c.querySelectorAll('p, h4')).some(p => p.textContent.includes('责任单位'))).length"
    )
    assert repeated == 0 and "责任单位" in page.locator(".pa-doc").inner_text()
    page.screenshot(path=ARTIFACTS / "page-visitors-phone-policy.png")
    assert problems == []
    context.close()


def test_a_server_restart_keeps_the_conversation_and_its_follow_ups(browser, settings, advisor):
    port = free_port()
    with serve_asgi(create_app(settings, advisor), port) as url:
        context, page, problems = open_page(browser, url, PHONE)
        ask(page, "洪山区中小企业买算力有补贴吗")
    # the server is gone: the reader is told in Chinese, and keeps the chat and what they typed
    page.fill("#pa-message textarea", "那市里呢？")
    page.press("#pa-message textarea", "Enter")
    toast = page.locator("[data-testid=toast-body]")
    toast.first.wait_for(timeout=15_000)
    assert "连接中断" in toast.first.inner_text() and not ENGLISH_WORD.search(toast.first.inner_text())
    assert page.input_value("#pa-message textarea") == "那市里呢？"
    assert page.locator("#pa-chat .pa-done").count() == 1
    page.screenshot(path=ARTIFACTS / "page-visitors-outage.png")
    page.evaluate("window.__beforeRestart = true")
    with serve_asgi(create_app(settings, advisor), port):
        # Gradio reloads the page once the server answers again: the chat and the typed question come back
        page.wait_for_function(
            "!window.__beforeRestart && window.__paChatRestored && document.querySelectorAll('#pa-chat .pa-done').length == 1",
            timeout=20_000,
        )
        page.wait_for_function("document.querySelector('#pa-message textarea').value == '那市里呢？'")
        assert page.locator("#pa-chat .pa-question").count() == 1  # the unanswered question is in the box, not the chat
        page.wait_for_timeout(1500)  # the reloaded page finishes its load events
        page.press("#pa-message textarea", "Enter")
        try:
            page.wait_for_function("document.querySelectorAll('#pa-chat .pa-done').length == 2", timeout=ANSWER_TIMEOUT)
        except Exception:
            page.screenshot(path=ARTIFACTS / "debug-restart.png")
            print("SAVED", page.evaluate("sessionStorage.getItem('policy-advisor-page')")[:1500])
            raise
        latest = bot_bubbles(page).last.inner_text()
        assert "结合上文" in latest and "武汉市支持人工智能OPC创新发展若干措施" in latest
        page.screenshot(path=ARTIFACTS / "page-visitors-after-restart.png")
    context.close()
