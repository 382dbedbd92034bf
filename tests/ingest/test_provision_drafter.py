"""The rule drafter: TOML a reviewer can edit, and the share of reviewed provisions it finds."""

from __future__ import annotations

import tomllib

import pytest

from eval.provision_drafts import measure
from ingest.pipeline import prepare_corpus
from ingest.provision_drafter import draft_document, drafts_toml
from ingest.records import PolicyDoc
from policy_core.settings import Settings


@pytest.fixture(scope="module")
def docs() -> dict[str, PolicyDoc]:
    found, _ = prepare_corpus(Settings(_env_file=None))
    return {d.id: d for d in found}


def test_model_filing_is_drafted_per_model_with_its_yearly_cap(docs):
    filing = next(d for d in draft_document(docs["hongshan-ai-2025"]) if d["clause"] == "六、增强模型创新能力")
    assert (filing["amount_wan"], filing["per_unit"], filing["cap_per_year_wan"], filing["units"]) == (100, "每个模型", 200, ["区经科局"])


def test_the_city_compute_voucher_gets_rate_base_cap_period_and_its_own_units_line(docs):
    voucher = next(d for d in draft_document(docs["wuhan-opc-2026"]) if "算力服务券" in d["sentence"])
    assert (voucher["rate_percent"], voucher["cap_wan"], voucher["duration_years"], voucher["form"]) == (50, 20, 3, "券")
    assert voucher["units"] == ["市数据局", "市经信局"]  # not the 各区人民政府 line that follows the next sentence


def test_the_draft_is_toml_in_the_reviewed_format(docs):
    parsed = tomllib.loads(drafts_toml("wuhan-ai-pilot-zone", draft_document(docs["wuhan-ai-pilot-zone"])))
    tiers = next(p for p in parsed["provisions"] if p["clause"] == "11、支持企业集聚发展" and "tiers" in p)
    assert [t["amount_wan"] for t in tiers["tiers"]] == [100, 200, 300]


def test_the_measurement_finds_most_reviewed_provisions():
    report = measure(Settings(_env_file=None))
    assert report["reviewed"] == 75 and report["found_share"] >= 0.85
    assert report["field_right_share_of_found"]["cap_wan"] >= 0.85
