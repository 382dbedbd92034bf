"""`/api/chat` throughput with one app replica against two, sharing one Chroma server and one Redis.

    python bench/replica_load.py [--clients 20] [--seconds 30]

Starts `chroma run` and `redis-server` on loopback ports, ingests once into the
Chroma server, then runs the load of `bench/chat_load.py` (unique questions) against one
`policy-advisor serve` (empty data home) and against two, each turn of a
conversation going to the next replica (so follow-ups cross replicas through
Redis). Everything is stopped and deleted afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.chat_load import run_load, served_app  # noqa: E402
from ingest.pipeline import run_ingest  # noqa: E402
from policy_core.settings import Settings  # noqa: E402
from tests.support.servers import free_port  # noqa: E402
from tests.support.shared_servers import ChromaServer, RedisServer  # noqa: E402


def measure(replicas: int, root: Path, shared_env: dict[str, str], clients: int, seconds: float) -> dict:
    with contextlib.ExitStack() as stack:
        served = [
            stack.enter_context(served_app(free_port(), {**shared_env, "ADVISOR_HOME": str(root / f"replica-{replicas}-{n}")}))
            for n in range(replicas)
        ]
        return {"replicas": replicas, **asyncio.run(run_load([url for url, _ in served], clients, seconds, repeat=False))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--json", dest="json_path", help="Also write the figures to this JSON file.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="replica-bench-") as folder, contextlib.ExitStack() as stack:
        root = Path(folder)
        chroma, redis = ChromaServer(root / "chroma"), RedisServer(root / "redis")
        stack.callback(chroma.stop)
        stack.callback(redis.stop)
        chroma.start()
        redis.start()
        run_ingest(Settings(advisor_home=root / "ingest", chroma_host="127.0.0.1", chroma_port=chroma.port))
        shared_env = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(chroma.port), "REDIS_URL": redis.url}
        shared_env["DATABASE_URL"] = f"sqlite:///{root / 'records.sqlite3'}"  # stands in for the one PostgreSQL
        os.environ.pop("LLM_BASE_URL", None)
        figures = [measure(n, root, shared_env, args.clients, args.seconds) for n in (1, 2)]
    for row in figures:
        print(
            f"{row['replicas']} replica(s), {row['clients']} clients, {row['seconds']} s: {row['requests_per_second']} req/s, "
            f"p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, errors {row['errors']} {row['error_kinds'] or ''}".rstrip()
        )
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
