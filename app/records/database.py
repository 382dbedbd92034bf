"""The records database: SQLite under the data home, or PostgreSQL when `DATABASE_URL` is set.

The schema is made by the Alembic migrations in `migrations/`, run on first
use (and retried on the next use after a failure, so a database that was down
at start-up is picked up once it is back). Ratings kept in the old
`feedback.sqlite3` are imported at the same moment.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from app.records.legacy_feedback import import_legacy_feedback
from policy_core.errors import AdvisorError

MIGRATIONS = Path(__file__).parent / "migrations"
CONNECT_TIMEOUT_S = 5
MIGRATION_LOCK_KEY = 7_117_017  # any constant: the PostgreSQL advisory lock the migrations run under


class RecordsError(AdvisorError):
    """The records database cannot be used (unreachable, wrong URL); the message says which."""


def engine_for(url: str) -> Engine:
    """An engine for `url`; `postgresql://` is read as psycopg 3, the driver this project installs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return create_engine(parsed, connect_args={"timeout": CONNECT_TIMEOUT_S})
    return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (Alembic, on this engine's connection)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # replicas starting together on one database: one migrates, the others wait and find it done
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back without a zone; every stored time is UTC."""
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


class Database:
    """One engine, migrated once; `ready()` is what every reader and writer calls first."""

    def __init__(self, url: str, legacy_feedback: Path | None = None) -> None:
        self.url = url
        self.legacy_feedback = legacy_feedback
        self.engine = engine_for(url)
        self._migrated = False
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings) -> "Database":
        return cls(settings.database_location, settings.legacy_feedback_db)

    def ready(self) -> Engine:
        """The engine, with the schema made and old ratings imported (raises when the database is unreachable)."""
        with self._lock:
            if not self._migrated:
                migrate(self.engine)
                if self.legacy_feedback is not None:
                    import_legacy_feedback(self.engine, self.legacy_feedback)
                self._migrated = True
        return self.engine

    @property
    def shown_url(self) -> str:
        """The URL without its password, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()
