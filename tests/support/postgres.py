"""A real PostgreSQL server for the tests: initdb + pg_ctl in a temp folder on a free loopback port.

Debian's `postgresql` package provides the binaries (`.ci/run` installs it).
PostgreSQL refuses to run as root, so under root the server runs as the
`postgres` system user the package creates. Every caller gets its own fresh
database on the one server.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.support.servers import free_port

_numbers = itertools.count(1)


def postgres_bin() -> Path | None:
    """The folder of initdb/pg_ctl: Debian keeps them under /usr/lib/postgresql/<version>/bin."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _as_server_user() -> tuple[list[str], str | None]:
    """Command prefix and owner for running the server: ourselves, or `postgres` when we are root."""
    if os.geteuid() != 0:
        return [], None
    pwd.getpwnam("postgres")  # KeyError when the package (which creates the user) is missing
    return ["runuser", "-u", "postgres", "--"], "postgres"


class PostgresServer:
    def __init__(self, port: int) -> None:
        self.port = port

    def url(self, database: str) -> str:
        return f"postgresql://advisor@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        import psycopg

        name = f"advisor_test_{os.getpid()}_{next(_numbers)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=advisor dbname=postgres", autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a throw-away server (trust auth on loopback only, superuser `advisor`); stopped and deleted afterwards."""
    binaries = postgres_bin()
    if binaries is None:
        raise FileNotFoundError("initdb/pg_ctl not found: apt-get install -y postgresql")
    prefix, owner = _as_server_user()
    folder = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
    data = folder / "data"
    if owner:
        shutil.chown(folder, owner)
    port = free_port()
    run = lambda *args: subprocess.run([*prefix, *args], check=True, capture_output=True, text=True, timeout=120)  # noqa: E731
    run(str(binaries / "initdb"), "-D", str(data), "-U", "advisor", "--auth=trust", "-E", "UTF8", "--locale=C")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
    run(str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o", options, "-w", "-t", "60", "start")
    try:
        yield PostgresServer(port)
    finally:
        subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
