"""The cost of the question log per answer (figures for the closing note of issue 13, not assertions).

    python bench/question_log_bench.py [--answers 2000] [--postgres]

- on the answering thread: `QuestionLog.record` (build the row, hash the session, queue it),
  median and p99 in microseconds: this is all an answer waits for;
- in the background: rows written per second by the writer thread (batched inserts),
  on SQLite under a temp folder and, with --postgres, on a throw-away PostgreSQL server
  (the one the tests start; needs Debian's `postgresql`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.records.database import Database  # noqa: E402
from app.records.question_log import QuestionLog  # noqa: E402
from app.schemas import AnswerResult, Citation  # noqa: E402

CITATION = Citation(
    ref=1, doc_id="hongshan-ai-2025", doc_title="洪山区支持人工智能产业高质量发展若干措施", doc_number="洪政规〔2025〕2号",
    clause="五、强化算力普惠供给", text="对购买算力服务的中小企业，按照购买算力服务费用给予最高不超过 20% 的补贴。" * 4,
    status="in_force", effective_from="2025-09-12", valid_until="2027-12-31", score=0.05,
)  # fmt: skip
RESULT = AnswerResult(
    question="洪山区中小企业买算力有补贴吗", answer="……" * 100, mode="extractive", refused=False,
    citations=[CITATION, CITATION], latency_ms=12.3, strength=0.62,
)  # fmt: skip


def measure(url: str, answers: int) -> tuple[float, float, float]:
    """(median µs, p99 µs) of record() on the caller's thread, and rows written per second."""
    log = QuestionLog(Database(url))
    log.database.ready()
    costs = []
    started = time.perf_counter()
    for n in range(answers):
        t0 = time.perf_counter()
        log.record(f"bench-{n}", "api", RESULT, origin="https://zhengce.example.cn", session_id=f"session-{n % 50}")
        costs.append((time.perf_counter() - t0) * 1e6)
        if n % 500 == 499:  # stay below the queue bound (1000): no row is dropped
            assert log.flush(timeout=300)
    assert log.flush(timeout=300)
    rate = answers / (time.perf_counter() - started)
    with log.database.engine.connect() as db:
        from sqlalchemy import func, select

        from app.records.tables import questions

        assert db.scalar(select(func.count()).select_from(questions)) == answers, "every row written"
    log.database.dispose()
    costs.sort()
    return statistics.median(costs), costs[int(0.99 * len(costs))], rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    targets = [("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}")]
    server = None
    if args.postgres:
        from tests.support.postgres import running_postgres

        server = running_postgres()
        targets.append(("PostgreSQL", server.__enter__().new_database()))
    try:
        for name, url in targets:
            median, p99, rate = measure(url, args.answers)
            print(f"{name:<10} record(): median {median:.0f} µs, p99 {p99:.0f} µs per answer; writer {rate:,.0f} rows/s ({args.answers} answers)")
    finally:
        if server is not None:
            server.__exit__(None, None, None)


if __name__ == "__main__":
    main()
