"""The widget in headless Chromium: the app on one port, the demo host site on another (another origin).

Screenshots go to test-artifacts/widget-*.png.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.advisor import Advisor
from app.answer.phrases import REFUSAL_ZH
from app.api.demo_host import make_demo_server
from app.server import create_app
from policy_core.settings import Settings
from tests.api.conftest import api_app
from tests.support.browser import ARTIFACTS
from tests.support.corpus import TODAY
from tests.support.servers import free_port, serve_asgi

pytestmark = pytest.mark.browser

W = "policy-advisor-widget"  # Playwright's CSS selectors pierce the widget's (open) shadow root
XSS_MESSAGE = '<img src=x onerror="window.__xss=1">'
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


@contextlib.contextmanager
def demo_site(app_base: str, port: int | None = None) -> Iterator[str]:
    """The demo service-center site on its own port, embedding the widget from app_base."""
    port = port or free_port()
    server = make_demo_server("127.0.0.1", port, app_base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def app_and_allowed_site(settings: Settings, make_app: Callable[[Settings], object], **updates) -> Iterator[tuple[str, str]]:
    """An app whose ALLOWED_ORIGINS names a demo site (`updates` change its other settings), and
    that site embedding its widget: yields (app URL, site URL)."""
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    allowed = settings.model_copy(update={"allowed_origins": [site], **updates})
    with serve_asgi(make_app(allowed)) as app_base, demo_site(app_base, port):
        yield app_base, site


@dataclass
class Sites:
    app: str
    host: str  # in ALLOWED_ORIGINS
    foreign: str  # not in ALLOWED_ORIGINS


@pytest.fixture(scope="module")
def sites(settings: Settings, advisor: Advisor) -> Iterator[Sites]:
    """The full app (API + widget + Gradio page) allowing the demo site's origin, and a second, unlisted site."""
    full_app = lambda allowed: create_app(allowed, advisor)  # noqa: E731
    with app_and_allowed_site(settings, full_app, rate_limit_per_minute=200) as (app_base, host), demo_site(app_base) as foreign:
        yield Sites(app_base, host, foreign)


@pytest.fixture
def page_at(browser: Browser) -> Iterator:
    """Open a new page (fresh session storage) at a viewport; page errors fail the test."""
    opened: list[tuple[Page, list[str]]] = []

    def open_page(url: str, viewport: dict = DESKTOP) -> Page:
        context = browser.new_context(viewport=viewport, device_scale_factor=1)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url)
        opened.append((page, errors))
        return page

    yield open_page
    for page, errors in opened:
        page.context.close()
        assert errors == [], errors


def open_widget(page: Page) -> None:
    page.locator(f"{W} .pa-launcher").click()
    expect(page.locator(f"{W} .pa-panel")).to_be_visible()
    expect(page.locator(f"{W} .pa-welcome")).to_contain_text("政策")


def record_streaming(page: Page) -> None:
    """Note every length the streaming answer bubble shows, to prove it grows piece by piece."""
    page.evaluate(
        """() => {
            const root = document.querySelector('policy-advisor-widget').shadowRoot;
            window.__streamLengths = [];
            new MutationObserver(() => {
                const bubble = root.querySelector('.pa-streaming .pa-bubble');
                if (bubble) window.__streamLengths.push(bubble.textContent.length);
            }).observe(root, {subtree: true, childList: true, characterData: true});
        }"""
    )


def ask(page: Page, question: str, *, press_enter: bool = False) -> None:
    answers_before = page.locator(f"{W} .pa-advisor:not(.pa-welcome):not(.pa-typing):not(.pa-streaming)").count()
    page.locator(f"{W} .pa-input").fill(question)
    if press_enter:
        page.locator(f"{W} .pa-input").press("Enter")
    else:
        page.locator(f"{W} .pa-send").click()
    expect(page.locator(f"{W} .pa-visitor .pa-bubble").last).to_have_text(question)
    expect(page.locator(f"{W} .pa-advisor:not(.pa-welcome):not(.pa-typing):not(.pa-streaming)")).to_have_count(
        answers_before + 1, timeout=20_000
    )


def settle_scrolling(page: Page) -> None:
    """Wait until the message list has stopped (smooth-)scrolling, so a screenshot shows where it lands."""
    page.wait_for_function(
        """() => new Promise(done => {
            const log = document.querySelector('policy-advisor-widget').shadowRoot.querySelector('.pa-messages');
            const before = log.scrollTop;
            setTimeout(() => done(log.scrollTop === before), 150);
        })""",
        polling=200,
    )


def last_answer(page: Page):
    return page.locator(f"{W} .pa-advisor:not(.pa-welcome):not(.pa-typing):not(.pa-streaming)").last


def test_question_and_follow_up_stream_with_expandable_citations(sites: Sites, page_at) -> None:
    page = page_at(f"{sites.host}/")
    open_widget(page)
    record_streaming(page)
    with page.expect_response(lambda r: r.url == f"{sites.app}/api/chat") as reply:
        ask(page, "洪山区中小企业买算力有补贴吗")
    assert reply.value.headers["content-type"].startswith("text/event-stream")  # server-sent events, not one JSON
    lengths = page.evaluate("window.__streamLengths")
    assert len(set(lengths)) >= 3 and lengths == sorted(lengths), lengths  # the text grew as pieces arrived

    answer = last_answer(page)
    expect(answer.locator(".pa-bubble")).to_contain_text("20%")
    expect(answer.locator(".pa-bubble .pa-ref").first).to_have_text("[1]")
    chip = answer.locator(".pa-chip").first
    expect(chip).to_contain_text("五、强化算力普惠供给")
    expect(chip.locator(".pa-badge")).to_have_text("现行有效")
    chip.click()
    card = answer.locator(".pa-card")
    expect(card).to_be_visible()
    expect(card.locator(".pa-card-title")).to_contain_text("《洪山区支持人工智能产业高质量发展若干措施》")
    expect(card.locator(".pa-card-number")).to_have_text("洪政规〔2025〕2号")
    expect(card.locator(".pa-card-dates")).to_have_text("自2025年9月12日起施行，有效期至2027年12月31日")
    expect(card.locator(".pa-clause-text mark").first).to_contain_text("算力")
    expect(card.locator(".pa-card-units")).to_have_text("责任单位：区经科局")
    chip.click()
    expect(card).to_have_count(0)  # tapping again folds it

    ask(page, "那市里呢？", press_enter=True)
    follow = last_answer(page)
    expect(follow.locator(".pa-bubble")).to_contain_text("武汉市支持人工智能OPC创新发展若干措施")
    follow.locator(".pa-bubble .pa-ref").first.click()  # the [n] in the text opens the same card as the chip
    expect(follow.locator(".pa-card .pa-card-title")).to_contain_text("《武汉市支持人工智能OPC创新发展若干措施》")
    expect(follow.locator(".pa-card .pa-card-status .pa-badge")).to_have_text("现行有效")
    expect(follow.locator(".pa-card")).to_be_in_viewport()  # scrolled to, inside the panel
    settle_scrolling(page)
    page.screenshot(path=str(ARTIFACTS / "widget-desktop.png"))


def test_conversation_survives_navigation_on_the_host_site(sites: Sites, page_at) -> None:
    page = page_at(f"{sites.host}/index.html")
    open_widget(page)
    ask(page, "洪山区中小企业买算力有补贴吗")
    page.get_by_role("link", name="办事指南").click()
    page.wait_for_url("**/services.html")
    expect(page.locator(f"{W} .pa-panel")).to_be_visible()  # still open on the new page
    expect(page.locator(f"{W} .pa-visitor .pa-bubble")).to_have_text(["洪山区中小企业买算力有补贴吗"])
    expect(last_answer(page).locator(".pa-chip").first).to_contain_text("五、强化算力普惠供给")
    ask(page, "那市里呢？")  # a follow-up on the next page: same server-side session
    expect(last_answer(page).locator(".pa-bubble")).to_contain_text("武汉市支持人工智能OPC创新发展若干措施")

    page.locator(f"{W} .pa-restart").click()
    expect(page.locator(f"{W} .pa-visitor")).to_have_count(0)
    ask(page, "那市里呢？")  # a new conversation: no topic to borrow, so it is read as a question about the city's policy
    expect(last_answer(page).locator(".pa-bubble")).to_contain_text("下面按“市里有哪些支持政策”回答")
    expect(last_answer(page).locator(".pa-bubble")).not_to_contain_text(REFUSAL_ZH)
    expect(last_answer(page).locator(".pa-chip").first).to_contain_text("")


def test_phone_width_panel_is_full_screen(sites: Sites, page_at) -> None:
    page = page_at(f"{sites.host}/", PHONE)
    page.screenshot(path=str(ARTIFACTS / "widget-phone-closed.png"))
    open_widget(page)
    box = page.locator(f"{W} .pa-panel").bounding_box()
    assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}
    expect(page.locator(f"{W} .pa-launcher")).to_be_hidden()
    ask(page, "OPC创业者租房有什么优惠")
    expect(last_answer(page).locator(".pa-chip .pa-badge").first).to_have_text("现行有效")
    ask(page, "试验区的政策还有效吗")
    expired = last_answer(page)
    expect(expired.locator(".pa-bubble")).to_contain_text("已失效")
    expect(expired.locator(".pa-chip .pa-badge-expired").first).to_have_text("已失效")
    expired.locator(".pa-chip").first.click()
    expect(expired.locator(".pa-card .pa-card-dates")).to_have_text("有效期至2023年12月31日")
    overflow = page.evaluate(
        "() => { const m = document.querySelector('policy-advisor-widget').shadowRoot.querySelector('.pa-messages');"
        " return m.scrollWidth - m.clientWidth; }"
    )
    assert overflow == 0  # nothing wider than the phone
    expect(last_answer(page).locator(".pa-card")).to_be_in_viewport()
    settle_scrolling(page)
    page.screenshot(path=str(ARTIFACTS / "widget-phone.png"))
    page.locator(f"{W} .pa-close").click()
    expect(page.locator(f"{W} .pa-launcher")).to_be_visible()


def test_markup_in_a_message_is_shown_as_text_and_never_runs(sites: Sites, page_at) -> None:
    page = page_at(f"{sites.host}/")
    open_widget(page)
    ask(page, XSS_MESSAGE)
    expect(page.locator(f"{W} .pa-visitor .pa-bubble").last).to_have_text(XSS_MESSAGE)
    assert page.locator(f"{W} img").count() == 0
    page.wait_for_timeout(300)  # time for an injected onerror to have fired
    assert page.evaluate("typeof window.__xss") == "undefined"
    page.reload()  # re-rendered from sessionStorage: still text
    expect(page.locator(f"{W} .pa-visitor .pa-bubble").last).to_have_text(XSS_MESSAGE)
    assert page.locator(f"{W} img").count() == 0 and page.evaluate("typeof window.__xss") == "undefined"


def test_site_not_in_allowed_origins_is_refused_with_a_clear_message(sites: Sites, page_at) -> None:
    page = page_at(f"{sites.foreign}/")
    open_widget(page)
    notice = page.locator(f"{W} .pa-notice-error")
    expect(notice).to_contain_text("未对本网站")
    expect(notice).to_contain_text(sites.foreign)
    page.locator(f"{W} .pa-input").fill("洪山区中小企业买算力有补贴吗")
    expect(page.locator(f"{W} .pa-send")).to_be_disabled()
    page.locator(f"{W} .pa-input").press("Enter")
    expect(page.locator(f"{W} .pa-visitor")).to_have_count(0)  # nothing was sent
    page.screenshot(path=str(ARTIFACTS / "widget-refused-origin.png"))


def test_host_page_styles_and_widget_styles_do_not_mix(sites: Sites, page_at) -> None:
    page = page_at(f"{sites.host}/")
    open_widget(page)
    send_colour = page.locator(f"{W} .pa-send").evaluate("b => getComputedStyle(b).backgroundColor")
    assert send_colour == "rgb(7, 193, 96)"  # the widget's green, not the site's !important pink
    assert page.locator(f"{W} .pa-send").evaluate("b => getComputedStyle(b).fontSize") == "15px"
    assert page.locator("#host-button").evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(255, 0, 170)"
    decoy = page.locator("#host-decoy")  # the site's own .pa-bubble: untouched by the widget's stylesheet
    assert decoy.evaluate("d => getComputedStyle(d).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert decoy.evaluate("d => getComputedStyle(d).paddingLeft") == "0px"


@pytest.fixture(scope="module")
def strict_site(settings: Settings, advisor: Advisor) -> Iterator[str]:
    """The API with a rate limit of two questions a minute, and a demo site allowed to use it."""
    with app_and_allowed_site(settings, lambda strict: api_app(strict, advisor), rate_limit_per_minute=2) as (_, host):
        yield host


def test_too_many_questions_get_a_friendly_message(strict_site: str, page_at) -> None:
    page = page_at(f"{strict_site}/")
    open_widget(page)
    ask(page, "洪山区中小企业买算力有补贴吗")
    ask(page, "那市里呢？")
    page.locator(f"{W} .pa-input").fill("租房呢？")
    page.locator(f"{W} .pa-send").click()
    expect(page.locator(f"{W} .pa-notice-error")).to_have_text(re.compile(r"提问太频繁啦，请 \d+ 秒后再试。"))
    expect(page.locator(f"{W} .pa-typing")).to_have_count(0)
    expect(page.locator(f"{W} .pa-input")).to_have_value("租房呢？")  # not sent: the question is back in the box


@pytest.fixture(scope="module")
def poisoned_site(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A corpus whose compute-subsidy clause carries markup, ingested (re-embedding only that clause) and embedded."""
    from ingest.pipeline import run_ingest

    work = tmp_path_factory.mktemp("poisoned")
    corpus = work / "corpus"
    shutil.copytree(Path(Settings(_env_file=None).corpus_dir), corpus)
    policy = corpus / "hongshan-ai-measures-2025.txt"
    text = policy.read_text(encoding="utf-8")
    marker = "补助期限不超过三年。（责任单位：区经科局）"
    assert marker in text
    policy.write_text(
        text.replace(marker, '补助期限不超过三年。算力券<img src=x onerror="window.xssFromCorpus=2">兑付<script>window.xssFromCorpus=3</script>。（责任单位：区经科局）'),
        encoding="utf-8",
    )
    home = work / "home"
    shutil.copytree(built_home, home)
    poisoned = Settings(advisor_home=home, corpus_dir=corpus, today=TODAY, _env_file=None)
    run_ingest(poisoned)
    with app_and_allowed_site(poisoned, lambda allowed: api_app(allowed, Advisor(allowed))) as (_, host):
        yield host


def test_markup_in_a_corpus_clause_is_shown_as_text_and_never_runs(poisoned_site: str, page_at) -> None:
    page = page_at(f"{poisoned_site}/")
    open_widget(page)
    ask(page, "洪山区中小企业买算力有补贴吗")
    answer = last_answer(page)
    answer.locator(".pa-chip").first.click()
    # (the corpus cleaner strips Markdown's "__", so the injected names avoid it)
    expect(answer.locator(".pa-clause-text")).to_contain_text('<img src=x onerror="window.xssFromCorpus=2">')
    expect(answer.locator(".pa-clause-text")).to_contain_text("<script>window.xssFromCorpus=3</script>")
    assert page.locator(f"{W} img, {W} script").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.xssFromCorpus") == "undefined"
    settle_scrolling(page)
    page.screenshot(path=str(ARTIFACTS / "widget-markup-in-corpus.png"))


def test_api_docs_render_offline_in_the_full_app(sites: Sites, page_at) -> None:
    """Swagger UI from the app's own assets (no CDN), next to the Gradio page mounted at /."""
    page = page_at(f"{sites.app}/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/chat")).to_be_visible(timeout=15_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/policies")).to_be_visible()


def test_dislike_with_a_reason_is_stored_and_errors_get_no_thumbs(settings: Settings, advisor: Advisor, page_at, isolated_home) -> None:
    from app.records.database import Database
    from app.records.feedback_store import FeedbackStore

    url = f"sqlite:///{isolated_home / 'widget-records.sqlite3'}"
    full_app = lambda allowed: create_app(allowed, advisor)  # noqa: E731
    with app_and_allowed_site(settings, full_app, database_url=url, rate_limit_per_minute=2) as (app_base, host):
        page = page_at(f"{host}/")
        open_widget(page)
        ask(page, "洪山区中小企业买算力有补贴吗")
        answer = last_answer(page)
        expect(answer.locator(".pa-thumb")).to_have_count(2)
        expect(answer.locator(".pa-reasons")).to_be_hidden()
        answer.locator(".pa-thumb-down").click()
        expect(answer.locator(".pa-thumb-down")).to_have_attribute("aria-pressed", "true")
        reasons = answer.locator(".pa-reasons")
        expect(reasons).to_be_visible()
        expect(reasons.locator(".pa-reason")).to_have_text(["答非所问", "信息有误或过期", "不完整", "看不懂", "其他"])
        reasons.locator(".pa-reason", has_text="不完整").click()
        reasons.locator(".pa-reason-text").fill("没说去哪里申请")
        settle_scrolling(page)
        page.screenshot(path=str(ARTIFACTS / "widget-dislike-reasons.png"))
        reasons.locator(".pa-reason-send").click()
        expect(answer.locator(".pa-rating-note")).to_have_text("已记录原因，谢谢您帮我们改进！")
        expect(reasons).to_be_hidden()
        (row,) = FeedbackStore(Database(url)).recent()
        assert (row.rating, row.reason, row.comment, row.question) == ("down", "不完整", "没说去哪里申请", "洪山区中小企业买算力有补贴吗")

        ask(page, "OPC创业者租房有什么优惠")  # the second question of the minute
        page.locator(f"{W} .pa-input").fill("第三个问题")
        page.locator(f"{W} .pa-send").click()
        notice = page.locator(f"{W} .pa-notice-error").last
        expect(notice).to_contain_text("秒后再试")  # an error message: no thumbs under it
        expect(notice.locator(".pa-thumb")).to_have_count(0)
        expect(page.locator(f"{W} .pa-thumb-up")).to_have_count(2)  # the two answers only
        notice.scroll_into_view_if_needed()
        settle_scrolling(page)
        page.screenshot(path=str(ARTIFACTS / "widget-rating-after-error.png"))
