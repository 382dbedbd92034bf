"""Figures for the LLM mode: what the answer guard costs, how far the shown text lags the model, fallback latency.

Runs against the fake OpenAI-compatible server of the tests (a real HTTP server
on 127.0.0.1), so it measures the advisor's own overhead, not a model's speed.

    python -m bench.llm_mode_bench            # needs an ingested index (policy-advisor ingest)
"""

from __future__ import annotations

import statistics
import time

from app.advisor import Advisor
from app.answer.answer_guard import AnswerGuard, GuardedStream
from app.schemas import AnswerResult
from policy_core.settings import Settings
from tests.llm.fake_openai_server import FakeOpenAI, Reply

QUESTION = "洪山区算力补贴怎么申请？"
PARAGRAPH = (
    "洪山区每年设立不超过300万元的算力补贴资金池，重点支持中小企业购买算力服务开展人工智能研发、模型训练 [1]。"
    "对购买算力服务的中小企业，按照费用给予最高不超过20%的补贴，每家每年最高不超过20万元，补助期限不超过三年 [1]。"
    "通过生成式人工智能模型备案的企业，按每个模型100万元给予支持 [2]。\n\n"
)
ANSWER = PARAGRAPH * 4  # ≈ 600 characters, a long answer


def guard_cost(repeats: int = 20) -> None:
    instructions = [Settings.__doc__ or "", "你必须遵守以下规则：只依据参考资料作答。" * 20]
    times = []
    for _ in range(repeats):
        stream = GuardedStream(AnswerGuard(5, instructions))
        started = time.perf_counter()
        for i in range(0, len(ANSWER), 2):  # ≈ one token per 2 characters
            stream.feed(ANSWER[i : i + 2])
        stream.result()
        times.append(time.perf_counter() - started)
    deltas = len(ANSWER) // 2
    median = statistics.median(times)
    print(f"guard: {len(ANSWER)} chars in {deltas} deltas: median {median * 1000:.1f} ms per answer, {median / deltas * 1e6:.0f} µs per delta")

    stream, first_shown, lags = GuardedStream(AnswerGuard(5, instructions)), None, []
    for i in range(0, len(ANSWER), 2):
        stream.feed(ANSWER[i : i + 2])
        if stream.shown and first_shown is None:
            first_shown = len(stream.raw)
        if stream.shown:
            lags.append(len(stream.raw) - len(stream.shown))
    print(
        f"guard: first text shown once {first_shown} characters had arrived (first citation ends at {ANSWER.index('[1]') + 3}); "
        f"then the shown text trails the model by {statistics.median(lags):.0f} characters (median)"
    )


def stream_lag(base: Settings, index) -> None:
    with FakeOpenAI() as fake:
        settings = Settings(
            _env_file=None, advisor_home=base.advisor_home, today=base.today, llm_base_url=fake.base_url, llm_model="bench", llm_cooldown_seconds=0
        )
        advisor = Advisor(settings, index=index)
        firsts, totals = [], []
        for _ in range(5):
            fake.script(Reply(ANSWER, chunk_chars=4))
            started = time.perf_counter()
            first = None
            for event in advisor.stream(QUESTION):
                if first is None and isinstance(event, str):
                    first = time.perf_counter() - started
                if isinstance(event, AnswerResult):
                    totals.append(time.perf_counter() - started)
            firsts.append(first)
        first_marker = ANSWER.index("[1]") + 3
        print(
            f"stream: first shown text after {statistics.median(firsts) * 1000:.0f} ms, whole answer {statistics.median(totals) * 1000:.0f} ms "
            f"(median of 5; nothing is shown before the first citation, here at character {first_marker})"
        )


def fallback_latency(base: Settings, index) -> None:
    from tests.support.servers import free_port

    for retries in (0, 2):
        settings = Settings(
            _env_file=None,
            advisor_home=base.advisor_home,
            today=base.today,
            llm_base_url=f"http://127.0.0.1:{free_port()}/v1",
            llm_model="bench",
            llm_max_retries=retries,
            llm_cooldown_seconds=30,
        )
        advisor = Advisor(settings, index=index)
        started = time.perf_counter()
        first = advisor.ask(QUESTION)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        advisor.ask(QUESTION)
        second_s = time.perf_counter() - started
        print(
            f"unreachable endpoint, LLM_MAX_RETRIES={retries}: first answer ({first.mode}) {first_s * 1000:.0f} ms, "
            f"next answer within the cooldown {second_s * 1000:.0f} ms"
        )


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    base = Settings()
    extractive = Advisor(base)
    extractive.ask(QUESTION)  # warm the embedder
    started = time.perf_counter()
    extractive.ask(QUESTION)
    print(f"extractive answer for reference: {(time.perf_counter() - started) * 1000:.0f} ms")
    guard_cost()
    stream_lag(base, extractive.index)
    fallback_latency(base, extractive.index)


if __name__ == "__main__":
    main()
