"""Load benchmark of POST /api/chat: N concurrent clients on loopback for S seconds.

    python bench/chat_load.py                      # starts `policy-advisor serve` itself (extractive mode)
    python bench/chat_load.py --url http://127.0.0.1:7860   # or measures a server already running

Each client keeps its own conversation: a question, then a follow-up in the same
session, and so on through a list of realistic questions. Reported: requests per
second, latency percentiles (p50/p95/p99/max) and the errors (any non-200 answer or
failed request). When it starts the server, it raises RATE_LIMIT_PER_MINUTE through
the environment (a setting, not a code change): all clients share one address.
Requests go to 127.0.0.1 only, and the run stops by itself after --seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.servers import free_port  # noqa: E402

QUESTIONS = [
    "洪山区中小企业买算力有补贴吗",
    "那市里呢？",
    "OPC创业者租房有什么优惠",
    "人才住房有什么政策",
    "模型研发有什么奖励",
    "租房呢？",
    "试验区的政策还有效吗",
    "创业贷款有贴息吗",
    "场景应用示范项目怎么支持",
    "那洪山区呢？",
    "生态社区入驻有什么条件",
    "算力券怎么申请",
]


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else (values or [0.0])[0]


async def one_client(client: httpx.AsyncClient, number: int, deadline: float, tally: Tally, urls: list[str]) -> None:
    """Each turn goes to the next of `urls` (several replicas: a conversation moves between them)."""
    session: str | None = None
    turn = number  # clients start at different questions
    while time.perf_counter() < deadline:
        question = QUESTIONS[turn % len(QUESTIONS)]
        turn += 1
        body = {"message": question, **({"session_id": session} if session else {})}
        started = time.perf_counter()
        try:
            response = await client.post(f"{urls[turn % len(urls)]}/api/chat", json=body)
        except httpx.HTTPError as exc:
            tally.errors[type(exc).__name__] += 1
            continue
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            tally.errors[f"HTTP {response.status_code}"] += 1
            continue
        tally.latencies_ms.append(elapsed)
        session = response.json()["session_id"]


async def run_load(url: str | list[str], clients: int, seconds: float) -> dict:
    urls = [url] if isinstance(url, str) else url
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        for base in urls:
            for question in QUESTIONS:  # warm up: first answers load the tokenizer and caches
                (await client.post(f"{base}/api/chat", json={"message": question})).raise_for_status()
        tally = Tally()
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(one_client(client, n, deadline, tally, urls) for n in range(clients)))
        wall = time.perf_counter() - started
        health = (await client.get(f"{urls[0]}/healthz")).json()
    lat = tally.latencies_ms
    return {
        "url": url,
        "mode": health.get("mode"),
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(lat),
        "requests_per_second": round(len(lat) / wall, 1),
        "p50_ms": round(percentile(lat, 50), 1),
        "p95_ms": round(percentile(lat, 95), 1),
        "p99_ms": round(percentile(lat, 99), 1),
        "max_ms": round(max(lat, default=0.0), 1),
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors),
    }


@contextlib.contextmanager
def served_app(port: int, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """`policy-advisor serve` in a child process (its own interpreter, so client and server don't share a GIL)."""
    env = {**os.environ, "RATE_LIMIT_PER_MINUTE": os.environ.get("RATE_LIMIT_PER_MINUTE", "1000000"), **(extra_env or {})}
    env.pop("LLM_BASE_URL", None), env.pop("LLM_MODEL", None)  # the extractive mode is what is measured
    command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            if server.poll() is not None:
                raise SystemExit(f"the server did not start:\n{server.stderr.read() if server.stderr else ''}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            if time.time() > deadline:
                raise SystemExit("the server did not answer /healthz within 120 s")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="A running server to measure (default: start one on a free port).")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--json", dest="json_path", help="Also write the figures to this JSON file.")
    args = parser.parse_args()
    if args.url and not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        raise SystemExit("--url must be a loopback address (127.0.0.0/8, localhost or [::1])")
    if not 1 <= args.clients <= 200 or not 1 <= args.seconds <= 600:
        raise SystemExit("--clients must be 1..200 and --seconds 1..600")

    with contextlib.nullcontext(args.url) if args.url else served_app(free_port()) as url:
        figures = asyncio.run(run_load(url, args.clients, args.seconds))
    print(
        f"POST /api/chat ({figures['mode']} mode), {figures['clients']} clients, {figures['seconds']} s: "
        f"{figures['requests']} answers, {figures['requests_per_second']} req/s, "
        f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms, "
        f"errors {figures['errors']} {figures['error_kinds'] or ''}".rstrip()
    )
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
