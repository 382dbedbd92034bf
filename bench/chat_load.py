"""Load benchmark of POST /api/chat: N concurrent clients on loopback for S seconds.

    python bench/chat_load.py                      # starts `policy-advisor serve` itself (extractive mode)
    python bench/chat_load.py --url http://127.0.0.1:7860   # or measures a server already running

Every question is different by default (bench/founder_questions.py), as real
visitors' are, so the question-embedding cache does not flatter the figures;
`--cycle` repeats twelve questions instead (the cache's best case). Each client keeps
its own conversation (a later question may be read as a follow-up). Reported:
requests per second, latency percentiles (p50/p95/p99/max), the errors (any non-200
answer or failed request), the server's CPU time per answer (when this script
started the server) and the load averages before and after: the machine may be
shared, and CPU per answer is the figure that load from other processes skews least. When it starts the server, it raises RATE_LIMIT_PER_MINUTE through
the environment (a setting, not a code change): all clients share one address.
Requests go to 127.0.0.1 only, and the run stops by itself after --seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import contextlib
import json
import os
import statistics
import subprocess
from itertools import cycle
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.founder_questions import unique_questions  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

WARM_UP = [
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


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process (Linux /proc), or None when unknown."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_averages() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


async def one_client(client: httpx.AsyncClient, questions: Iterator[str], deadline: float, tally: Tally, urls: list[str]) -> None:
    """Each turn goes to the next of `urls` (several replicas: a conversation moves between them)."""
    session: str | None = None
    for turn in itertools.count():
        if time.perf_counter() >= deadline:
            return
        question = next(questions)  # one shared stream: the event loop is single-threaded
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


async def run_load(url: str | list[str], clients: int, seconds: float, repeat: bool, server_pid: int | None = None) -> dict:
    urls = [url] if isinstance(url, str) else url
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    questions = cycle(WARM_UP) if repeat else unique_questions()
    async with httpx.AsyncClient(base_url=urls[0], timeout=30, limits=limits) as client:
        for base in urls:
            for question in WARM_UP:  # warm up: first answers load the tokenizer and caches
                (await client.post(f"{base}/api/chat", json={"message": question})).raise_for_status()
        tally = Tally()
        load_before, cpu_before = load_averages(), cpu_seconds(server_pid)
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(one_client(client, questions, deadline, tally, urls) for _ in range(clients)))
        wall = time.perf_counter() - started
        cpu_after = cpu_seconds(server_pid)
        health = (await client.get("/healthz")).json()
    lat = tally.latencies_ms
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return {
        "url": url,
        "mode": health.get("mode"),
        "questions": "cycle of 12" if repeat else "unique",
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
        "server_cpu_ms_per_answer": round(cpu * 1000 / len(lat), 1) if cpu is not None and lat else None,
        "load_average_before": load_before,
        "load_average_after": load_averages(),
    }


@contextlib.contextmanager
def served_app(port: int, extra_env: dict[str, str] | None = None) -> Iterator[tuple[str, int | None]]:
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
        yield url, server.pid
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
    parser.add_argument("--cycle", action="store_true", help="Repeat 12 questions (cached embeddings) instead of unique ones.")
    parser.add_argument("--json", dest="json_path", help="Also write the figures to this JSON file.")
    args = parser.parse_args()
    if args.url and not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        raise SystemExit("--url must be a loopback address (127.0.0.0/8, localhost or [::1])")
    if not 1 <= args.clients <= 200 or not 1 <= args.seconds <= 600:
        raise SystemExit("--clients must be 1..200 and --seconds 1..600")

    with contextlib.nullcontext((args.url, None)) if args.url else served_app(free_port()) as (url, pid):
        figures = asyncio.run(run_load(url, args.clients, args.seconds, args.cycle, pid))
    print(
        f"POST /api/chat ({figures['mode']} mode, {figures['questions']} questions), "
        f"{figures['clients']} clients, {figures['seconds']} s: "
        f"{figures['requests']} answers, {figures['requests_per_second']} req/s, "
        f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms, "
        f"errors {figures['errors']} {figures['error_kinds'] or ''}".rstrip()
        + f"; server CPU {figures['server_cpu_ms_per_answer']} ms/answer; "
        f"load average {figures['load_average_before']} → {figures['load_average_after']}"
    )
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
