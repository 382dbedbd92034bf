"""Unique, realistic founder questions for load benchmarks.

Real visitors rarely ask the same sentence twice, so a benchmark that cycles a
dozen questions measures the question-embedding cache, not the advisor. This
generator writes questions the way founders ask them: the golden questions
re-worded (who is asking, a polite opening, a closing ask, other amounts) and
template questions over the corpus's subjects with varied districts, company
kinds and amounts. Every question it yields is new within one generator, and
the sequence is fixed by the seed, so two runs measure the same questions.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "eval" / "golden.jsonl"

OPENINGS = ["", "", "请问，", "想咨询一下，", "你好，", "麻烦问下，", "打扰一下，", "老师好，"]
ASKERS = [
    "我们是一家做大模型的初创公司，", "我是刚回国的博士，", "我们团队五个人，", "我是一人公司的创始人，",
    "我们是做AI医疗的小微企业，", "我们是一家算力服务商，", "我是在校大学生想创业，", "我们公司刚从外地迁来，",
    "我们做智能制造软件，", "我们是一家数据标注公司，", "",
]
CLOSINGS = ["", "", "谢谢！", "能说具体点吗？", "最多能拿多少？", "找哪个部门？", "今年还能申请吗？", "有什么条件？"]
DISTRICTS = ["洪山区", "洪山", "武汉市", "市里", "东湖高新区", "江夏区", "武昌区", "汉阳区", "光谷", "区里"]
SUBJECTS = [
    "买算力", "用算力服务券", "租智算中心的GPU", "大模型备案", "做垂直行业模型", "买数据集训练模型", "建高质量数据集",
    "租办公场地", "人才住房", "买首套房", "申请创业贷款", "贷款贴息", "入驻OPC生态社区", "建OPC社区",
    "做应用场景示范项目", "揭榜挂帅联合攻关", "承担省级科技项目", "建工程研究中心", "办AI大会", "引进高端人才",
    "开源社区贡献", "首台套智能装备", "参加创新创业大赛", "申报专精特新", "孵化器运营",
]
ASKS = [
    "有补贴吗？", "能补多少？", "最高给多少钱？", "有什么政策？", "怎么申请？", "需要什么条件？", "有没有奖励？",
    "补贴比例是多少？", "上限是多少？", "能同时享受吗？", "该找哪个部门？", "政策还有效吗？",
]
AMOUNT_ASKS = [
    "{who}{where}{subject}花了{amount}万元，{ask}",
    "{who}今年在{where}{subject}投入{amount}万，能补多少？",
    "{where}{subject}要是花{amount}万元，按政策能拿多少补贴？",
]
PLAIN_ASKS = ["{who}在{where}{subject}，{ask}", "{where}对{subject}{ask}", "{who}想在{where}{subject}，{ask}"]
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]|年)")  # amounts, counts; not years


def golden_questions(path: Path = GOLDEN) -> list[str]:
    """The single questions and the first turns of the golden set: the seeds to re-word."""
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            questions.append(row.get("question") or row["turns"][0])
    return questions


def reworded(question: str, rng: random.Random) -> str:
    """A golden question asked by another founder: another opening, asker, amount or closing."""
    if _NUMBER.search(question) and rng.random() < 0.6:
        question = _NUMBER.sub(lambda m: str(max(1, int(float(m.group()) * rng.choice([0.5, 0.8, 1.5, 2, 3])))), question, 1)
    closing = rng.choice(CLOSINGS)
    closing = "" if closing and closing.rstrip("？！") in question else closing
    return f"{rng.choice(OPENINGS)}{rng.choice(ASKERS)}{question}{closing}"


def templated(rng: random.Random) -> str:
    """A question over the corpus's subjects with a district, a company and maybe an amount."""
    fields = {"who": rng.choice(ASKERS), "where": rng.choice(DISTRICTS), "subject": rng.choice(SUBJECTS), "ask": rng.choice(ASKS)}
    if rng.random() < 0.35:
        return rng.choice(AMOUNT_ASKS).format(amount=rng.choice([5, 12, 30, 50, 80, 120, 200, 350, 600, 1000]), **fields)
    return rng.choice(OPENINGS) + rng.choice(PLAIN_ASKS).format(**fields)


def unique_questions(seed: int = 16, golden: list[str] | None = None) -> Iterator[str]:
    """An endless stream of questions, none repeated: half re-worded golden questions, half templates."""
    rng = random.Random(seed)
    seeds = golden if golden is not None else golden_questions()
    seen: set[str] = set()
    misses = 0
    while True:
        question = reworded(rng.choice(seeds), rng) if rng.random() < 0.5 else templated(rng)
        if question in seen:
            misses += 1
            if misses > 10_000:
                raise RuntimeError("the question templates are exhausted")
            continue
        seen.add(question)
        yield question
