"""Core figures for the closing note of the core issue (figures, not assertions).

    python bench/core_bench.py [--runs 200]

- full ingest time of the corpus into a fresh data home (cold: every chunk embedded),
  and the re-ingest time of the unchanged corpus;
- warm `ask` latency in process (median, p95) over the retrieval question set;
- cold CLI start: `policy-advisor ask --json` wall time for a fresh process (median of 5);
- hit@1 / hit@5 of tests/retrieval/retrieval_questions.toml for BM25 only, dense only, hybrid.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.advisor import Advisor  # noqa: E402
from app.retrieval.policy_index import PolicyIndex  # noqa: E402
from ingest.pipeline import run_ingest  # noqa: E402
from policy_core.settings import Settings  # noqa: E402

QUESTIONS = tomllib.loads((ROOT / "tests/retrieval/retrieval_questions.toml").read_text(encoding="utf-8"))["questions"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200, help="warm asks to time")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="advisor-bench-"))
    settings = Settings(advisor_home=home, _env_file=None)

    started = time.perf_counter()
    report = run_ingest(settings)
    print(f"ingest (cold, {report.chunks} chunks embedded): {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    run_ingest(settings)
    print(f"re-ingest (unchanged corpus, nothing embedded): {time.perf_counter() - started:.2f} s")

    index = PolicyIndex(settings)
    advisor = Advisor(settings, index=index)
    questions = [q for q, _, _ in QUESTIONS]
    for q in questions:  # warm up: models, caches of clause tokens
        advisor.ask(q)
    index._vectors.clear()  # time real embeddings, not the question cache
    times = []
    for i in range(args.runs):
        if i % len(questions) == 0:
            index._vectors.clear()
        started = time.perf_counter()
        advisor.ask(questions[i % len(questions)])
        times.append((time.perf_counter() - started) * 1000)
    print(f"warm ask in process ({args.runs} asks, question embedding not cached): median {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms")

    cold = []
    env = {**os.environ, "ADVISOR_HOME": str(home)}
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app.cli", "ask", "--json", "洪山区算力补贴多少"], env=env, capture_output=True, check=True)
        cold.append(time.perf_counter() - started)
    print(f"cold CLI start to answer (`policy-advisor ask --json`, median of 5): {statistics.median(cold):.2f} s")

    print("retrieval on tests/retrieval/retrieval_questions.toml:")
    for mode in ("bm25", "dense", "hybrid"):
        retriever = Advisor(settings, index=index, mode=mode).retriever
        hit1 = hit5 = 0
        for question, doc_id, clauses in QUESTIONS:
            found = [(h.doc.id, h.chunk.label) for h in retriever.search(question, k=5)]
            ok = [d == doc_id and c in clauses.split("|") for d, c in found]
            hit1 += bool(ok and ok[0])
            hit5 += any(ok)
        n = len(QUESTIONS)
        print(f"  {mode:6s} hit@1 {hit1}/{n} = {hit1 / n:.1%}   hit@5 {hit5}/{n} = {hit5 / n:.1%}")


if __name__ == "__main__":
    main()
