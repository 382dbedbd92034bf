"""Matching a founder's profile to the reviewed provisions, with amounts from the real texts."""

from __future__ import annotations

import pytest

from app.matching.founder_profile import Activity, FounderProfile, Identity
from app.matching.provision_catalog import load_catalog
from app.matching.provision_matcher import match_profile
from ingest.provisions import BENEFICIARIES
from policy_core.settings import Settings
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(Settings(today=TODAY, _env_file=None))


def matches(catalog, **profile):
    result = match_profile(catalog, FounderProfile(**profile))
    return {(g.doc_id, i.provision.clause, i.provision.purpose, i.provision.form): i for g in result.policies for i in g.items}, result


def only(found: dict, doc_id: str, purpose: str):
    items = [i for (d, _, p, _), i in found.items() if d == doc_id and p == purpose]
    assert len(items) == 1, items
    return items[0]


def test_identities_are_the_beneficiary_words():
    assert set(Identity.__args__) == set(BENEFICIARIES)


def test_promotion_from_provincial_to_national_first_version_software_pays_the_difference(catalog):
    found, _ = matches(catalog, identities=["企业"], district="洪山区",
                       activities=[Activity(purpose="首版次软件", level="国家级", previous_level="省级")])
    calc = only(found, "hongshan-ai-2025", "首版次软件").calculation
    assert calc.result_wan == 30 and not calc.ceiling
    assert calc.formula == "国家级50万元 − 省级20万元 = 30万元（逐级认定的给予差额奖励）"


def test_two_filed_models_get_100_each_within_the_200_yearly_cap(catalog):
    two, _ = matches(catalog, identities=["企业"], district="洪山区", activities=[Activity(purpose="模型备案", count=2)])
    calc = only(two, "hongshan-ai-2025", "模型备案").calculation
    assert (calc.raw_wan, calc.result_wan, calc.capped) == (200, 200, False)
    three, _ = matches(catalog, identities=["企业"], district="洪山区", activities=[Activity(purpose="模型备案", count=3)])
    calc = only(three, "hongshan-ai-2025", "模型备案").calculation
    assert (calc.raw_wan, calc.result_wan, calc.cap_label, calc.capped, calc.ceiling) == (300, 200, "每年最高", True, True)


def test_an_opc_spending_40_wan_on_compute_gets_the_city_voucher_capped_at_20(catalog):
    found, result = matches(catalog, identities=["OPC"], activities=[Activity(purpose="算力服务", amount_wan=40)], only_activities=True)
    voucher = only({k: v for k, v in found.items() if v.provision.form == "券"}, "wuhan-opc-2026", "算力服务")
    assert voucher.verdict == "适用" and voucher.calculation.formula == "40万元 × 50% = 20万元"
    assert voucher.calculation.result_wan == 20 and voucher.calculation.ceiling  # 最高20万元: "最多可获"
    assert voucher.provision.duration_years == 3 and voucher.provision.units == ["市数据局", "市经信局"]
    district = next(i for (d, *_), i in found.items() if d == "hongshan-ai-2025")  # district unknown, 中小企业 not settled
    assert district.verdict == "可能适用" and district.unsettled == ["对象为“中小企业”", "注册在洪山区"]
    assert district.calculation.result_wan == 8
    assert [g.doc_id for g in result.policies] == ["hongshan-ai-2025", "wuhan-opc-2026"]


def test_the_same_kind_from_district_and_city_is_marked_highest_only(catalog):
    found, _ = matches(catalog, identities=["OPC", "中小企业"], district="洪山区", activities=[Activity(purpose="算力服务", amount_wan=60)], only_activities=True)
    money = [i for i in found.values() if i.provision.form in ("券", "补贴")]
    assert sorted(i.calculation.result_wan for i in money) == [12, 20]
    for item in money:
        assert item.highest_only.note.startswith("同类支持按“就高不重复”原则执行（《洪山区支持人工智能产业高质量发展若干措施》）")
        assert item.highest_only.note.endswith("较高的是《武汉市支持人工智能OPC创新发展若干措施》一、强化算力服务支撑（20万元）")
    free_hours = next(i for i in found.values() if i.provision.form == "免费服务")
    assert free_hours.highest_only is None and free_hours.provision.quantity == 2000


def test_home_purchase_per_square_metre_is_capped_at_10_wan(catalog):
    found, _ = matches(catalog, identities=["OPC"], activities=[Activity(purpose="购房", area_m2=120)])
    item = only(found, "wuhan-opc-2026", "购房")
    assert item.calculation.formula == "120平方米 × 1000元 = 12万元"
    assert (item.calculation.result_wan, item.calculation.cap_wan) == (10, 10)
    assert item.verdict == "可能适用" and "“OPC创始人及高管”" in item.unsettled


def test_scenario_project_of_300_wan_gets_30_percent_capped_at_100(catalog):
    found, _ = matches(catalog, identities=["OPC"], activities=[Activity(purpose="应用场景", amount_wan=300)])
    assert only(found, "wuhan-opc-2026", "应用场景").calculation.result_wan == 90
    found, _ = matches(catalog, identities=["OPC"], activities=[Activity(purpose="应用场景", amount_wan=500)])
    assert only(found, "wuhan-opc-2026", "应用场景").calculation.result_wan == 100


def test_a_firm_registered_in_another_district_does_not_get_hongshan_measures(catalog):
    elsewhere, _ = matches(catalog, identities=["中小企业"], district="江夏区")
    assert {d for d, *_ in elsewhere} == {"wuhan-opc-2026"}  # the district's measures are for 洪山
    # A small firm may be an OPC: the city's OPC measures are listed, never promised.
    assert {i.verdict for i in elsewhere.values()} == {"可能适用"}
    assert all("对象为“OPC”" in i.unsettled or "对象为“OPC、初创企业”" in i.unsettled for i in elsewhere.values())
    here, _ = matches(catalog, identities=["中小企业"], district="洪山区")
    assert {d for d, *_ in here} == {"hongshan-ai-2025", "wuhan-opc-2026"}
    assert only(here, "hongshan-ai-2025", "算力服务").verdict == "适用"


def test_figures_give_amounts_without_narrowing_the_list_unless_asked(catalog):
    everything, _ = matches(catalog, identities=["OPC"], activities=[Activity(purpose="算力服务", amount_wan=40)])
    assert len({p for _, _, p, _ in everything}) > 10
    assert only({k: v for k, v in everything.items() if v.provision.form == "券"}, "wuhan-opc-2026", "算力服务").calculation.result_wan == 20
    assert only(everything, "wuhan-opc-2026", "购房").calculation is None
    focused, _ = matches(catalog, identities=["OPC"], activities=[Activity(purpose="算力服务", amount_wan=40)], only_activities=True)
    assert {p for _, _, p, _ in focused} == {"算力服务"}


def test_expired_policies_are_listed_apart_only_on_request(catalog):
    _, plain = matches(catalog, identities=["企业"])
    assert all(g.doc_id != "wuhan-ai-pilot-zone" for g in plain.policies) and plain.expired == []
    _, asked = matches(catalog, identities=["企业"], include_expired=True)
    assert [g.doc_id for g in asked.expired] == ["wuhan-ai-pilot-zone"]
    assert all(g.status == "expired" for g in asked.expired)


def test_an_overview_for_an_opc_lists_every_opc_provision_of_the_city(catalog):
    found, _ = matches(catalog, identities=["OPC"])
    opc = {(c, p) for d, c, p, _ in found if d == "wuhan-opc-2026"}
    assert {("一、强化算力服务支撑", "算力服务"), ("四、构建人才“引育用留”体系", "购房"), ("九、强化科技金融支撑", "创业担保")} <= opc
    assert ("四、构建人才“引育用留”体系", "租房") in opc  # OPC创业者 are the OPC's people
