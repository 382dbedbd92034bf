"""The 政策匹配 result HTML: cards per provision with the chat's source card, the form read into a profile."""

from __future__ import annotations

from app.matching.founder_profile import FounderProfile
from app.web.match_cards import NOTHING_FOUND, match_cards
from app.web.match_handler import CHOOSE_IDENTITY, MatchHandler, profile_from_form


def test_each_card_highlights_its_own_sentence_in_the_shared_clause_card(advisor):
    html = match_cards(advisor.match(FounderProfile(identities=["OPC"])))
    voucher = html.split('<span class="pa-match-label">算力服务券</span>')[1].split('class="pa-match-item')[0]
    free = html.split('<span class="pa-match-label">免费算力服务</span>')[1].split('class="pa-match-item')[0]
    assert voucher.count("<mark>") == 1 and "<mark>设立算力服务券" in voucher
    assert free.count("<mark>") == 1 and "<mark>各区在OPC生态社区集聚" in free
    assert "<script" not in html and 'class="pa-card pa-card-in_force"' in html


def test_the_form_fields_become_a_profile():
    profile = profile_from_form(["OPC"], "不确定", [40, None, 0, 2, 120.5], False)
    assert profile.district is None
    assert {a.purpose: a.model_dump(exclude_none=True) for a in profile.activities} == {
        "算力服务": {"purpose": "算力服务", "amount_wan": 40.0},
        "模型备案": {"purpose": "模型备案", "count": 2},
        "购房": {"purpose": "购房", "area_m2": 120.5},
    }


def test_no_identity_or_nothing_found_is_said_plainly(advisor):
    handler = MatchHandler(advisor)
    assert CHOOSE_IDENTITY in handler.run([], None, False)
    assert NOTHING_FOUND in handler.run(["养老机构"], "其他区", False)
