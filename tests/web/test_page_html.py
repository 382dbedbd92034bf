"""The HTML the page shows: source cards and policy texts are escaped, highlighted and badged correctly."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.schemas import Citation, PolicySummary
from app.web.policy_documents import policy_full_text, policy_list
from app.web.source_cards import highlighted_text, merged_spans, source_cards
from ingest.records import Clause, ClauseText

EVIL = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.update(name for name, _ in attrs)


def parse(html: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(html)
    return collector


def evil_citation(**changes) -> Citation:
    values = dict(
        ref=1,
        doc_id="x",
        doc_title=f"标题{EVIL}",
        doc_number=f"文号{EVIL}",
        clause=f"一、条款{EVIL}",
        text=f"第一句。{EVIL}第二句。",
        status="expired",
        effective_from="2019-01-01",
        valid_until="2023-12-31",
        score=0.1,
        units=[f"单位{EVIL}"],
        highlights=[(0, 4)],
    )
    return Citation(**{**values, **changes})


def test_cards_of_a_real_answer(advisor):
    result = advisor.ask("洪山区中小企业买算力有补贴吗")
    html = source_cards(result.citations)
    citation = result.citations[0]
    assert html.count('<details class="pa-card') == len(result.citations)
    for expected in (citation.doc_title, citation.doc_number, citation.clause, "现行有效", "2027年12月31日", "区经科局"):
        assert expected in html
    used = citation.text[citation.highlights[0][0] : citation.highlights[0][1]]
    assert f"<mark>{used}</mark>" in html


def test_expired_policy_card_says_so(advisor):
    result = advisor.ask("试验区的创投补助是多少")
    html = source_cards(result.citations)
    assert "pa-badge-expired" in html and "已失效" in html and "有效期至2023年12月31日" in html


def test_everything_in_a_card_is_text_not_markup():
    html = source_cards([evil_citation()], resolved_question=f"问{EVIL}")
    tags = parse(html)
    assert "script" not in tags.tags and "img" not in tags.tags
    assert tags.attributes <= {"class"}
    assert html.count("&lt;script&gt;") >= 5  # title, number, clause, text, units all shown as text


def test_no_citations_no_cards():
    assert source_cards([]) == ""


@pytest.mark.parametrize(
    "spans, expected",
    [
        ([(5, 9), (0, 3)], [(0, 3), (5, 9)]),
        ([(0, 4), (2, 6)], [(0, 6)]),
        ([(3, 3), (-2, 2)], [(0, 2)]),
        ([(8, 50)], [(8, 10)]),
    ],
)
def test_highlight_spans_are_clamped_sorted_and_merged(spans, expected):
    assert merged_spans(spans, 10) == expected


def test_highlight_escapes_inside_and_outside_marks():
    assert highlighted_text("a<b>c&d", [(1, 4)]) == "a<mark>&lt;b&gt;</mark>c&amp;d"


def test_policy_list_shows_every_policy_with_status_and_dates(advisor):
    policies = advisor.policies()
    html = policy_list(policies)
    assert html.count('class="pa-policy ') == 3
    assert html.count("已失效") == 1 and html.count("现行有效") == 2
    assert "洪政规〔2025〕2号" in html and "自2025年9月12日起施行" in html


def test_policy_full_text_is_every_clause_in_order(advisor):
    policy = next(p for p in advisor.policies() if p.status == "expired")
    clauses = advisor.policy_clauses(policy.doc_id)
    html = policy_full_text(policy, clauses)
    assert html.count('<section class="pa-doc-clause">') == len(clauses)
    positions = [html.index(c.clause.label) for c in clauses]
    assert positions == sorted(positions)
    assert "本文件已失效" in html


def test_policy_text_is_escaped():
    policy = PolicySummary(
        doc_id="x", title=EVIL, issuer=EVIL, doc_number="", region="", issued=None,
        effective_from=None, valid_until=None, status="in_force", status_label="现行有效",
    )
    clause = ClauseText(Clause(EVIL, 0, 1, "measure", (EVIL,)), EVIL + "正文")
    html = policy_full_text(policy, [clause]) + policy_list([policy])
    assert {"script", "img"}.isdisjoint(parse(html).tags)
