"""Synthetic policy documents shaped like the seed documents, for the scale benchmark.

Each document is what a district or city publishes: a title line, a preamble, measures
"一、标题。正文…" with rates, caps, durations and a "（责任单位：…）" line, some with
"（一）" sub-items, and closing provisions with the dates. Districts, sectors, numbers and
wording vary; about one in thirteen documents is about artificial intelligence and some
come from 洪山区 or the city, so the real documents meet near neighbours, not noise.

`write_corpus` copies the three real documents into a folder and adds synthetic ones
until the corpus has about the number of chunks asked for. Everything is fixed by
the seed.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

REAL_CORPUS = Path(__file__).resolve().parent.parent / "corpus"

DISTRICTS = [
    ("江岸区", "江岸"), ("江汉区", "江汉"), ("硚口区", "硚口"), ("汉阳区", "汉阳"), ("武昌区", "武昌"), ("青山区", "青山"),
    ("洪山区", "洪山"), ("东西湖区", "东西湖"), ("蔡甸区", "蔡甸"), ("江夏区", "江夏"), ("黄陂区", "黄陂"), ("新洲区", "新洲"),
    ("东湖高新区", "光谷"), ("武汉经开区", "经开区"), ("武汉市", "武汉"), ("宜昌市", "宜昌"), ("襄阳市", "襄阳"),
    ("荆州市", "荆州"), ("黄石市", "黄石"), ("十堰市", "十堰"), ("孝感市", "孝感"), ("鄂州市", "鄂州"),
]
SECTORS = [
    "人工智能", "智能制造", "生物医药", "集成电路", "新能源汽车", "数字经济", "光电子信息", "软件和信息服务",
    "低空经济", "机器人", "北斗导航", "网络安全", "氢能",
]
UNITS = ["区经科局", "区发改局", "区财政局", "区人社局", "区商务局", "区数据局", "市科技局", "市经信局", "区委人才办", "区国资局"]
PURPOSES = ["加快{sector}产业集聚发展", "推动{sector}产业高质量发展", "培育壮大{sector}产业集群", "抢抓{sector}发展新机遇"]

# (topic, heading variants, body template). Bodies use {sector} {rate} {cap} {cap2} {years} {count}.
MEASURES: list[tuple[str, tuple[str, ...], str]] = [
    ("research", ("支持核心技术攻关", "鼓励关键技术研发", "强化技术创新"),
     "支持企业围绕{sector}领域牵头承担国家、省、市科技计划项目，按照项目拨付经费的 {rate}% 给予一次性奖励，单个项目最高奖励 {cap} 万元，单个企业年最高奖励 {cap2} 万元。"),
    ("platform", ("支持创新平台建设", "建设高能级创新平台"),
     "鼓励围绕{sector}领域建设重点实验室、技术创新中心、工程研究中心等创新平台，单个平台最高支持 {cap} 万元。"),
    ("compute", ("强化算力普惠供给", "降低算力使用成本", "支持算力服务"),
     "对购买算力服务开展{sector}研发的中小企业，按照购买费用给予最高不超过 {rate}% 的补贴，每家每年最高不超过 {cap} 万元，补助期限不超过{years}年。"),
    ("model", ("增强模型创新能力", "支持行业模型研发"),
     "鼓励企业研发{sector}行业模型，对通过国家生成式人工智能服务备案的企业，按每个模型 {cap} 万元给予支持，同一企业每年最高不超过 {cap2} 万元。"),
    ("data", ("建设高质量数据集", "促进数据要素应用"),
     "支持企业承担省市高质量数据集建设任务，对完成专项建设并通过评审的企业，给予每个专项最高 {cap} 万元奖励。"),
    ("software", ("推广首版次软件应用", "支持首台套首版次"),
     "对入选国家级、省级首台（套）装备或首版次软件目录的{sector}企业，分别给予 {cap} 万元、{cap2} 万元一次性奖励。"),
    ("scenario", ("推动应用场景创新", "开放典型应用场景"),
     "每年遴选不超过{count}个{sector}典型应用场景，单个项目给予建设方最高 {cap} 万元支持，每年每家企业不超过 {cap2} 万元。"),
    ("talent", ("促进高端人才引育", "加强人才引进培养"),
     "对新引进的{sector}领域领军人才，给予最高 {cap} 万元安家补贴；对青年人才给予每月 {count}00 元生活补贴，最长{years}年。"),
    ("housing", ("保障人才安居", "提供人才住房"),
     "为{sector}企业人才提供人才公寓，{years}年内免租入住；购买首套住房的，按照每平方米 {count}00 元给予最高 {cap} 万元购房补贴。"),
    ("space", ("打造特色创新载体", "支持孵化载体建设"),
     "鼓励建设{sector}产业孵化器和特色园区，最高给予 {cap} 万元奖励；入驻初创企业给予最高{years}年免租或减租优惠。"),
    ("finance", ("加大金融支持力度", "强化金融服务"),
     "对{sector}企业获得的银行贷款，按照贷款市场报价利率的 {rate}% 给予贴息，单个企业每年最高 {cap} 万元；设立 {cap2} 亿元产业基金。"),
    ("startup", ("支持创新创业", "鼓励创业团队落地"),
     "对在本区落地的{sector}创业团队，给予最高 {cap} 万元启动资金；获得创业担保贷款的，给予全额贴息{years}年。"),
    ("growth", ("加强优质企业引育", "支持企业做大做强"),
     "对首次认定的{sector}领域专精特新“小巨人”企业给予 {cap} 万元奖励；年营业收入首次突破 {cap2} 亿元的，给予一次性奖励。"),
    ("events", ("营造良好产业生态", "支持举办产业活动"),
     "支持举办{sector}领域高端论坛、创新大赛等活动，按照实际支出的 {rate}% 给予最高 {cap} 万元补助。"),
]
SUB_ITEMS = ["申报主体应在本区注册登记并正常经营。", "同一项目不重复享受同类政策，按就高原则执行。", "补贴资金按年度集中申报、审核拨付。"]


@dataclass
class SyntheticDoc:
    id: str
    title: str
    region: str
    keyword: str
    issued: dt.date
    valid_until: dt.date
    text: str
    topics: list[str]


def _number(rng: random.Random, choices: list[int]) -> int:
    return rng.choice(choices)


def synthetic_document(number: int, rng: random.Random) -> SyntheticDoc:
    region, keyword = rng.choice(DISTRICTS)
    sector = rng.choice(SECTORS)
    title = f"{region}{rng.choice(['关于支持', '加快', '促进'])}{sector}产业{rng.choice(['高质量发展', '创新发展', '集聚发展'])}的若干措施"
    issued = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 7 * 365))
    valid_until = issued + dt.timedelta(days=365 * rng.choice([2, 3, 5]))
    measures = rng.sample(MEASURES, rng.randint(7, 10))
    lines = [f"# {title}", "", f"为{rng.choice(PURPOSES).format(sector=sector)}，结合{region}实际，制定本措施。", ""]
    numerals = "一二三四五六七八九十"
    for i, (topic, headings, body) in enumerate(measures):
        filled = body.format(
            sector=sector, rate=_number(rng, [5, 10, 15, 20, 30, 50]), cap=_number(rng, [10, 20, 30, 50, 100, 200, 300, 500]),
            cap2=_number(rng, [50, 100, 200, 500, 1000]), years=_number(rng, [1, 2, 3, 5]), count=_number(rng, [5, 10, 15, 20]),
        )
        lines.append(f"{numerals[i]}、{rng.choice(headings)}。{filled}（责任单位：{'、'.join(rng.sample(UNITS, rng.randint(1, 2)))}）")
        if rng.random() < 0.2:
            lines.extend(f"（{numerals[j]}）{item}" for j, item in enumerate(rng.sample(SUB_ITEMS, 2)))
        lines.append("")
    lines.append(f"本措施自{issued:%Y年%-m月%-d日}起施行，有效期至{valid_until:%Y年%-m月%-d日}。")
    return SyntheticDoc(f"syn-{number:06d}", title, region, keyword, issued, valid_until, "\n".join(lines) + "\n", [m[0] for m in measures])


def _toml_entry(doc: SyntheticDoc) -> str:
    return (
        f'\n[[documents]]\nid = "{doc.id}"\ntitle = "{doc.title}"\nissuer = "{doc.region}人民政府"\ndoc_number = ""\n'
        f'region = "{doc.region}"\nissued = "{doc.issued}"\neffective_from = "{doc.issued}"\nvalid_until = "{doc.valid_until}"\n'
        f'file = "synthetic/{doc.id}.txt"\nkeywords = ["{doc.keyword}"]\n'
    )


def write_corpus(folder: Path, documents: int, seed: int = 16) -> list[SyntheticDoc]:
    """The real corpus plus `documents` synthetic documents in `folder` (replaced)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(REAL_CORPUS, folder)
    (folder / "synthetic").mkdir()
    rng = random.Random(seed)
    docs = [synthetic_document(n, rng) for n in range(documents)]
    entries = []
    for doc in docs:
        (folder / "synthetic" / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
        entries.append(_toml_entry(doc))
    with (folder / "manifest.toml").open("a", encoding="utf-8") as manifest:
        manifest.write("".join(entries))
    return docs
