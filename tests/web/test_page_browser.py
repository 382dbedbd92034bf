"""The chat page in headless Chromium, as a founder uses it: ask, follow up, read the sources, rate, read a policy.

Screenshots (desktop 1280 wide, phone 375 wide) go to test-artifacts/.
"""

from __future__ import annotations

import time

import pytest

from app.records.store import Records
from app.server import create_app
from tests.support.browser import ARTIFACTS
from tests.support.servers import serve_asgi

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
ANSWER_TIMEOUT = 30_000  # ms; a cold first answer loads the embedder's session

# records every state of the newest answer bubble, to see the answer grow (as the reader does)
WATCH_ANSWERS = """() => {
  window.__states = [];
  const chat = document.querySelector('#pa-chat');
  new MutationObserver(() => {
    const answers = chat.querySelectorAll('.pa-answer');
    if (answers.length) window.__states.push([answers.length, answers[answers.length - 1].textContent.length, chat.querySelectorAll('.pa-sources').length]);
  }).observe(chat, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def page_url(settings, advisor):
    with serve_asgi(create_app(settings, advisor)) as url:
        yield url


def open_page(browser, url: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url + "/")
    page.wait_for_selector("#pa-message textarea")
    page.evaluate(WATCH_ANSWERS)
    return context, page, problems


def put_text(page, text: str) -> None:
    """Set the input as a script or a paste past `maxlength` would (fill() stops at maxlength)."""
    page.locator("#pa-message textarea").evaluate(
        "(el, text) => { el.value = text; el.dispatchEvent(new Event('input', {bubbles: true})); }", text
    )


def ask(page, question: str) -> None:
    """Type a question, press Enter, wait until its answer (or error bubble) is complete."""
    before = bot_bubbles(page).count()
    put_text(page, question)
    page.press("#pa-message textarea", "Enter")
    page.wait_for_function(
        f"""() => {{
            const bots = document.querySelectorAll('#pa-chat .message.bot');
            return bots.length > {before} && bots[bots.length - 1].querySelector('.pa-done, .pa-error');
        }}""",
        timeout=ANSWER_TIMEOUT,
    )


def bot_bubbles(page):
    return page.locator("#pa-chat .message.bot")


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_ask_follow_up_read_sources_and_rate(browser, page_url, settings):
    context, page, problems = open_page(browser, page_url, DESKTOP)
    question = "洪山区中小企业买算力有补贴吗"
    page.fill("#pa-message textarea", question)
    page.press("#pa-message textarea", "Enter")
    page.wait_for_selector("#pa-chat .pa-sources", timeout=ANSWER_TIMEOUT)

    # streamed: the reader saw the answer grow before the sources arrived
    growing = [length for count, length, sources in page.evaluate("window.__states") if count == 1 and sources == 0]
    assert len(set(growing)) >= 3, growing
    assert page.input_value("#pa-message textarea") == ""

    first = bot_bubbles(page).nth(0)
    assert "20 万元" in first.locator(".pa-answer").inner_text()
    card = first.locator("details.pa-card").first
    assert "洪山区支持人工智能产业高质量发展若干措施" in card.locator("summary").inner_text()
    badge = card.locator(".pa-badge")
    assert badge.inner_text() == "现行有效" and badge.is_visible()
    assert not card.locator(".pa-clause-text").is_visible()
    card.locator("summary").click()
    assert card.locator(".pa-clause-text").is_visible()
    assert card.locator(".pa-clause-text mark").count() >= 1
    assert "洪政规〔2025〕2号" in card.inner_text() and "有效期至2027年12月31日" in card.inner_text() and "区经科局" in card.inner_text()

    page.screenshot(path=ARTIFACTS / "page-desktop-answer.png")

    ask(page, "那市里呢？")
    page.wait_for_function("document.querySelectorAll('#pa-chat .pa-sources').length == 2", timeout=ANSWER_TIMEOUT)
    second = bot_bubbles(page).nth(1)
    assert "武汉市支持人工智能OPC创新发展若干措施" in second.locator(".pa-sources").inner_text()
    assert "结合上文" in second.inner_text()

    store = Records.from_settings(settings).feedback
    before = [r for r in store.recent(None) if r.question == question and r.rating == "up"]
    first.hover()
    page.locator("#pa-chat button[aria-label='赞']").first.click()
    deadline = time.time() + 10
    while time.time() < deadline:
        rows = [r for r in store.recent(None) if r.question == question and r.rating == "up"]
        if len(rows) > len(before):
            break
        time.sleep(0.2)
    assert len(rows) == len(before) + 1, "the 👍 was stored"
    page.get_by_text("感谢反馈").wait_for(state="visible", timeout=5000)  # the reader is thanked
    assert "20 万元" in rows[0].answer and rows[0].citations[0]["doc_id"] == "hongshan-ai-2025"

    page.screenshot(path=ARTIFACTS / "page-desktop-follow-up.png")
    assert no_horizontal_overflow(page)
    assert problems == []
    context.close()


def test_policy_tab_lists_three_policies_and_shows_full_text(browser, page_url):
    context, page, problems = open_page(browser, page_url, DESKTOP)
    page.get_by_role("tab", name="政策文件").click()
    page.wait_for_selector(".pa-policy")
    policies = page.locator(".pa-policy")
    assert policies.count() == 3
    assert page.locator(".pa-policy .pa-badge-expired").count() == 1
    assert page.locator(".pa-policy .pa-badge-in_force").count() == 2
    expired = page.locator(".pa-policy-expired")
    assert "试验区" in expired.inner_text() and "有效期至2023年12月31日" in expired.inner_text()

    page.get_by_label("武汉国家新一代人工智能创新发展试验区建设若干政策（已失效）").check()
    page.wait_for_selector(".pa-doc-clause")
    text = page.locator(".pa-doc")
    assert "本文件已失效" in text.inner_text()
    assert page.locator(".pa-doc-clause").count() >= 16
    assert "5、加大创投补助" in text.inner_text()

    page.get_by_label("洪山区支持人工智能产业高质量发展若干措施（现行有效）").check()
    page.wait_for_function("document.querySelector('.pa-doc h3').textContent.includes('洪山区')")
    assert "本文件已失效" not in page.locator(".pa-doc").inner_text()
    page.screenshot(path=ARTIFACTS / "page-desktop-policies.png", full_page=True)
    assert problems == []
    context.close()


def test_phone_width_chat_and_policies(browser, page_url):
    context, page, problems = open_page(browser, page_url, PHONE)
    page.screenshot(path=ARTIFACTS / "page-phone-start.png")
    ask(page, "OPC创业团队入驻生态社区有哪些支持？")
    card = page.locator("#pa-chat details.pa-card").first
    card.locator("summary").click()
    card.scroll_into_view_if_needed()
    # everything fits the width: no sideways scrolling, the card and input row inside the screen
    assert no_horizontal_overflow(page)
    for selector in ("#pa-chat details.pa-card", "#pa-message", "#pa-send", "#pa-restart"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, selector
    assert page.locator("#pa-message").bounding_box()["width"] > PHONE["width"] * 0.6, "the input is usable"
    page.screenshot(path=ARTIFACTS / "page-phone-chat.png")

    page.get_by_role("tab", name="政策文件").click()
    page.wait_for_selector(".pa-policy")
    page.get_by_label("武汉市支持人工智能OPC创新发展若干措施（现行有效）").check()
    page.wait_for_selector(".pa-doc-clause")
    # the text starts below the fold on a phone: the page brings it into view
    page.wait_for_function("Math.abs(document.querySelector('#pa-policy-text').getBoundingClientRect().top) < 100")
    assert no_horizontal_overflow(page)
    page.screenshot(path=ARTIFACTS / "page-phone-policies.png")
    assert problems == []
    context.close()


def test_bad_input_and_start_over(browser, page_url, settings):
    context, page, problems = open_page(browser, page_url, DESKTOP)
    page.press("#pa-message textarea", "Enter")  # empty: nothing is sent
    page.fill("#pa-message textarea", "   ")
    page.click("#pa-send")
    page.wait_for_timeout(800)
    assert page.locator("#pa-chat .message").count() == 0

    page.evaluate("window.__xss = 0")
    ask(page, '<img src=x onerror="window.__xss=1">算力券<script>window.__xss=2</script>')
    assert page.evaluate("window.__xss") == 0
    assert "<img src=x" in page.locator("#pa-chat .message.user").first.inner_text()

    ask(page, "补贴" * settings.max_question_chars)
    error = page.locator("#pa-chat .pa-error")
    assert error.count() == 1 and "问题太长" in error.inner_text()
    page.screenshot(path=ARTIFACTS / "page-desktop-errors.png", full_page=True)
    page.fill("#pa-message textarea", "")  # the too-long question stayed in the box

    ask(page, "大模型通过备案有奖励吗？")  # the page keeps working after the error
    assert "100 万元" in bot_bubbles(page).last.inner_text()

    page.click("#pa-restart")
    page.wait_for_function("document.querySelectorAll('#pa-chat .message').length == 0")
    example = page.locator("#pa-chat button.example").first  # a starter question drawn from the provisions
    asked = example.inner_text()
    example.click()
    page.wait_for_selector("#pa-chat .pa-sources", timeout=ANSWER_TIMEOUT)
    assert page.locator("#pa-chat .pa-question").inner_text() == asked
    assert "现行有效" in bot_bubbles(page).last.inner_text()
    assert page.locator("#pa-chat .message.user").count() == 1
    assert problems == []
    context.close()
