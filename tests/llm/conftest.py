"""Fixtures for the LLM mode: a fake OpenAI-compatible server on 127.0.0.1 and advisors pointed at it."""

from __future__ import annotations

import pytest

from policy_core.settings import Settings
from tests.llm.fake_openai_server import FakeOpenAI
from tests.support.corpus import TODAY

MODEL = "fake-policy-model"
API_KEY = "sk-test-key"


@pytest.fixture
def fake_llm():
    with FakeOpenAI() as server:
        yield server


def llm_settings(base: Settings, server: FakeOpenAI, **overrides) -> Settings:
    """The test settings (real index) with the LLM endpoint set to the fake server."""
    values = {
        "advisor_home": base.advisor_home,
        "today": TODAY,
        "llm_base_url": server.base_url,
        "llm_model": MODEL,
        "llm_api_key": API_KEY,
        "llm_timeout": 3.0,
        "llm_max_retries": 1,
        "llm_cooldown_seconds": 0.0,
        **overrides,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture
def make_llm_advisor(settings, advisor, fake_llm):
    """Advisor(settings with the fake endpoint and `overrides`), sharing the session's loaded index."""
    from app.advisor import Advisor

    def make(**overrides):
        return Advisor(llm_settings(settings, fake_llm, **overrides), index=advisor.index)

    return make


@pytest.fixture
def llm_advisor(make_llm_advisor):
    return make_llm_advisor()
