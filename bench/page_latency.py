"""What a reader of the chat page waits: time to the first visible answer text and to the complete answer.

    python bench/page_latency.py                         # serves the app itself (settings from the environment)
    python bench/page_latency.py --url http://127.0.0.1:7860   # or measures a page already running

Headless Chromium (Debian `chromium`, driven by Playwright) types each question
and presses Enter, as a reader does. Times are taken inside the page on the
browser's clock: from the Enter keydown to the first answer text in the new bubble
(first visible token), and to the complete answer with its source cards (full
answer). One warm-up question in its own page load comes first and is reported
apart (the first answer of a process loads the embedder's session); then 10
questions in one conversation, follow-ups included, give the medians.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.browser import CHROMIUM  # noqa: E402

WARM_UP = "算力补贴有哪些"
QUESTIONS = [
    "洪山区中小企业买算力有补贴吗",
    "那市里呢？",
    "OPC创业者租人才公寓有优惠吗？",
    "大模型通过备案有奖励吗？",
    "OPC创业团队入驻生态社区有哪些支持？",
    "试验区的政策现在还能申请吗？",
    "创业贷款有贴息吗",
    "Is there a compute subsidy for startups in Hongshan?",
    "人工智能人才引进有什么资助",
    "今天天气怎么样",
]

# Marks the Enter keydown, the first text in the new answer bubble and the complete answer, on the page's clock.
WATCH = """() => {
  const chat = document.querySelector('#pa-chat');
  const box = document.querySelector('#pa-message textarea');
  box.addEventListener('keydown', e => {
    if (e.key === 'Enter' && !e.shiftKey && window.__m) window.__m.sent = performance.now();
  }, true);
  new MutationObserver(() => {
    const m = window.__m;
    if (!m || m.sent === null) return;
    const bots = chat.querySelectorAll('.message.bot');
    if (bots.length <= m.before) return;
    const last = bots[bots.length - 1];
    const now = performance.now();
    const text = last.querySelector('.pa-answer, .pa-error');
    if (m.first === null && text && text.textContent.trim().length > 0) m.first = now;
    if (m.done === null && last.querySelector('.pa-done, .pa-error')) m.done = now;
  }).observe(chat, {subtree: true, childList: true, characterData: true});
}"""
ARM = "() => { window.__m = {before: document.querySelectorAll('#pa-chat .message.bot').length, sent: null, first: null, done: null}; }"


@contextlib.contextmanager
def served_app() -> Iterator[str]:
    """The one ASGI app (page + API) with the environment's settings, on a free loopback port."""
    from app.cli import load_settings, open_advisor
    from app.server import create_app
    from tests.support.servers import serve_asgi

    settings = load_settings()
    with serve_asgi(create_app(settings, open_advisor(settings))) as url:
        yield url


def ask(page, question: str, timeout_ms: int) -> tuple[float, float]:
    """(first visible text, complete answer) in ms after Enter."""
    page.evaluate(ARM)
    page.fill("#pa-message textarea", question)
    page.press("#pa-message textarea", "Enter")
    page.wait_for_function("window.__m.done !== null && window.__m.first !== null", timeout=timeout_ms)
    mark = page.evaluate("window.__m")
    return mark["first"] - mark["sent"], mark["done"] - mark["sent"]


def open_chat(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(url + "/")
    page.wait_for_selector("#pa-message textarea")
    page.evaluate(WATCH)
    return page


def measure(url: str, timeout_ms: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        warm_page = open_chat(browser, url)
        warm = ask(warm_page, WARM_UP, timeout_ms)
        warm_page.close()
        page = open_chat(browser, url)
        rows = [(q, *ask(page, q, timeout_ms)) for q in QUESTIONS]
        browser.close()
    firsts, fulls = [r[1] for r in rows], [r[2] for r in rows]
    return {
        "url": url,
        "warm_up": {"question": WARM_UP, "first_ms": round(warm[0]), "full_ms": round(warm[1])},
        "questions": [{"question": q, "first_ms": round(f), "full_ms": round(d)} for q, f, d in rows],
        "median_first_ms": round(statistics.median(firsts)),
        "median_full_ms": round(statistics.median(fulls)),
        "max_first_ms": round(max(firsts)),
        "max_full_ms": round(max(fulls)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="Measure this running page instead of serving one.")
    parser.add_argument("--timeout", type=float, default=60, help="Seconds to wait for one answer.")
    parser.add_argument("--json", action="store_true", help="Print the figures as one JSON object.")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")

    if args.url:
        report = measure(args.url.rstrip("/"), int(args.timeout * 1000))
    else:
        with served_app() as url:
            report = measure(url, int(args.timeout * 1000))

    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    warm = report["warm_up"]
    print(f"warm-up (first answer of the process): first text {warm['first_ms']} ms, full answer {warm['full_ms']} ms\n")
    print(f"{'first text':>11} {'full answer':>12}  question")
    for row in report["questions"]:
        print(f"{row['first_ms']:>8} ms {row['full_ms']:>9} ms  {row['question']}")
    print(
        f"\nmedian of {len(report['questions'])}: first visible text {report['median_first_ms']} ms, "
        f"full answer {report['median_full_ms']} ms (max {report['max_first_ms']} / {report['max_full_ms']} ms)"
    )


if __name__ == "__main__":
    main()
