"""Every records test runs twice: on SQLite under the temp data home, and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.records.database import Database
from policy_core.settings import Settings
from tests.support.postgres import PostgresServer, running_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        with running_postgres() as server:
            yield server
    except (FileNotFoundError, KeyError) as exc:
        pytest.skip(f"PostgreSQL is not installed here ({exc}); `apt-get install -y postgresql` (.ci/run does) to run these on it")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, isolated_home: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{isolated_home / 'advisor.sqlite3'}"
    return request.getfixturevalue("postgres_server").new_database()


@pytest.fixture
def records_settings(settings: Settings, database_url: str) -> Settings:
    """The built index, with the records in this test's own database."""
    return settings.model_copy(update={"database_url": database_url})


@pytest.fixture
def database(database_url: str, isolated_home: Path) -> Iterator[Database]:
    db = Database(database_url, isolated_home / "feedback.sqlite3")
    yield db
    db.dispose()
