"""Matching latency: p50/p95/p99 of `Advisor.match` over many founder profiles, in process.

    python bench/match_latency.py [--profiles 2000] [--json]

The profiles are every combination of one or two identities, a district (洪山区, another,
unknown), with and without expired policies, and figures for none to three activities
(算力 spend, models filed, m² bought, a scenario project, a promotion between levels),
cycled to --profiles. The same timing is taken for the chat's overview and calculation
answers on the issue's questions (question → profile → match → cited draft). The index is
the data home's (run `policy-advisor ingest` first); numbers are wall time on this machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.advisor import Advisor  # noqa: E402
from app.answer.calculation_answerer import calculation_draft  # noqa: E402
from app.answer.overview_answerer import overview_draft  # noqa: E402
from app.matching.founder_profile import Activity, FounderProfile  # noqa: E402
from policy_core.settings import Settings  # noqa: E402

IDENTITIES = [["OPC"], ["中小企业"], ["初创企业"], ["企业"], ["人才"], ["运营方"], ["OPC", "中小企业"], ["初创企业", "人才"]]
DISTRICTS = ["洪山区", "江夏区", None]
ACTIVITIES = [
    Activity(purpose="算力服务", amount_wan=40),
    Activity(purpose="模型备案", count=3),
    Activity(purpose="购房", area_m2=120),
    Activity(purpose="应用场景", amount_wan=300),
    Activity(purpose="首版次软件", level="国家级", previous_level="省级"),
]
QUESTIONS = [
    "我在洪山区开了家做AI质检的小公司，有什么政策能用上？",
    "OPC能拿到哪些补贴，都列出来",
    "What support can an OPC get in Wuhan? Please list it.",
    "我们OPC今年在算力上花了40万，市里能补多少？",
    "省级首版次拿过奖励后又进了国家级目录，还能补多少？",
    "市里和区里各能补多少？我们是洪山的中小企业，也是OPC，买算力用了 60 万",
]


def profiles() -> list[FounderProfile]:
    figure_sets = [list(c) for n in range(4) for c in itertools.combinations(ACTIVITIES, n)]
    return [
        FounderProfile(identities=who, district=where, activities=figures, include_expired=expired)
        for who, where, figures, expired in itertools.product(IDENTITIES, DISTRICTS, figure_sets, (False, True))
    ]


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"n": len(values), "p50_ms": round(cuts[49], 2), "p95_ms": round(cuts[94], 2), "p99_ms": round(cuts[98], 2),
            "max_ms": round(max(values), 2)}


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=2000, help="profiles to match (cycled)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = Settings()
    advisor = Advisor(settings)
    pool = profiles()
    advisor.match(pool[0])  # warm: the first snapshot read
    matched = [timed(lambda p=pool[i % len(pool)]: advisor.match(p)) for i in range(args.profiles)]
    snapshot, today = advisor.index.snapshot(), settings.status_date()
    chat = []
    for _ in range(max(1, args.profiles // (10 * len(QUESTIONS)))):
        for question in QUESTIONS:
            analysis = advisor.retriever.analyze(question)
            chat.append(timed(lambda: overview_draft(analysis, snapshot, today) or calculation_draft(analysis, snapshot, today)))
    report = {"distinct_profiles": len(pool), "match": percentiles(matched), "chat_overview_or_calculation": percentiles(chat),
              "provisions": len(snapshot.provisions)}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    m, c = report["match"], report["chat_overview_or_calculation"]
    print(f"Advisor.match over {m['n']} profiles ({len(pool)} distinct, {report['provisions']} provisions): "
          f"p50 {m['p50_ms']} ms, p95 {m['p95_ms']} ms, p99 {m['p99_ms']} ms, max {m['max_ms']} ms")
    print(f"overview/calculation draft over {c['n']} chat questions: p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms, max {c['max_ms']} ms")


if __name__ == "__main__":
    main()
