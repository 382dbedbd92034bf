"""Two app replicas behind one Chroma server, one Redis and one PostgreSQL, all real and started here.

The replicas start with empty data homes: everything they answer from comes
from the Chroma server. Conversations, answers open to rating and rate limits
go through Redis; ratings and the question log through PostgreSQL.
"""

from __future__ import annotations

import itertools
import logging
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from app.advisor import Advisor
from app.server import create_app
from ingest.pipeline import run_ingest
from policy_core.settings import Settings
from tests.support.corpus import CORPUS, TODAY, raise_platform_cap
from tests.support.postgres import running_postgres
from tests.support.servers import serve_asgi
from tests.support.shared_servers import ChromaServer, RedisServer, redis_server_binary

LIMIT = 6
QUESTION = "洪山区中小企业买算力有补贴吗"
_addresses = itertools.count(1)


@dataclass
class Replica:
    url: str
    advisor: Advisor

    def ask(self, message: str, address: str, session_id: str | None = None) -> httpx.Response:
        body = {"message": message, **({"session_id": session_id} if session_id else {})}
        return httpx.post(f"{self.url}/api/chat", json=body, headers={"X-Forwarded-For": address}, timeout=60)

    def health(self) -> httpx.Response:
        return httpx.get(f"{self.url}/healthz", timeout=30)


@dataclass
class Cluster:
    chroma: ChromaServer
    redis: RedisServer
    settings: Settings  # the machine that runs ingest
    database_url: str
    replicas: list[Replica]
    first_version: str


def new_address() -> str:
    """A client address of its own (uvicorn trusts X-Forwarded-For from loopback), so tests' limits don't mix."""
    return f"10.0.{next(_addresses) // 250}.{next(_addresses) % 250 + 1}"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if redis_server_binary() is None:
        pytest.skip("redis-server is not installed here; `apt-get install -y redis-server` (.ci/run does)")
    root = tmp_path_factory.mktemp("cluster")
    chroma, redis = ChromaServer(root / "chroma"), RedisServer(root / "redis")
    with ExitStack() as stack:
        stack.callback(chroma.stop)
        stack.callback(redis.stop)
        chroma.start()
        redis.start()
        database_url = stack.enter_context(running_postgres()).new_database()
        corpus = root / "corpus"
        shutil.copytree(CORPUS, corpus)
        settings = Settings(
            advisor_home=root / "ingest-machine", corpus_dir=corpus, today=TODAY, _env_file=None,
            chroma_host="127.0.0.1", chroma_port=chroma.port, redis_url=redis.url, database_url=database_url,
            rate_limit_per_minute=LIMIT, index_check_seconds=1.0,
        )
        first = run_ingest(settings)
        replicas = []
        for name in ("a", "b"):
            replica_settings = settings.model_copy(update={"advisor_home": root / f"replica-{name}"})
            advisor = Advisor(replica_settings)
            replicas.append(Replica(stack.enter_context(serve_asgi(create_app(replica_settings, advisor))), advisor))
        yield Cluster(chroma, redis, settings, database_url, replicas, first.version)


def test_replicas_with_empty_data_homes_answer_with_citations(cluster: Cluster):
    for replica in cluster.replicas:
        body = replica.ask(QUESTION, new_address()).json()
        assert body["citations"][0]["clause"] == "五、强化算力普惠供给"
        home = replica.advisor.settings.advisor_home
        assert not (home / "chroma").exists()  # vectors stay on the server
        assert [p.name for p in (home / "index" / "versions").iterdir()] == [cluster.first_version]
        assert replica.health().json()["index_version"] == cluster.first_version


def test_a_conversation_alternating_between_replicas_keeps_its_context(cluster: Cluster):
    a, b = cluster.replicas
    address = new_address()
    first = a.ask(QUESTION, address).json()
    follow = b.ask("那市里呢？", address, first["session_id"]).json()
    assert follow["session_id"] == first["session_id"]
    assert follow["resolved_question"] and "算力" in follow["resolved_question"]
    assert {c["doc_id"] for c in follow["citations"]} == {"wuhan-opc-2026"}
    third = a.ask("那洪山区呢？", address, first["session_id"]).json()
    assert third["session_id"] == first["session_id"] and third["resolved_question"]
    # without the session the other replica has nothing to go on: it answers about the place named, not 算力
    lone = b.ask("那市里呢？", address).json()
    assert lone["session_id"] != first["session_id"]
    assert "算力" not in (lone["resolved_question"] or "")


def test_a_burst_split_across_replicas_is_limited_once(cluster: Cluster):
    address = new_address()
    statuses = [cluster.replicas[i % 2].ask(QUESTION, address).status_code for i in range(LIMIT + 4)]
    assert statuses == [200] * LIMIT + [429] * 4


def test_a_rating_reaches_any_replica_and_both_write_one_database(cluster: Cluster):
    a, b = cluster.replicas
    answer_id = a.ask(QUESTION, new_address()).json()["answer_id"]
    rated = httpx.post(f"{b.url}/api/feedback", json={"answer_id": answer_id, "rating": "up"}, timeout=30)
    assert rated.status_code == 200, rated.text
    other_id = b.ask(QUESTION, new_address()).json()["answer_id"]
    engine = sa.create_engine(cluster.database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        deadline = time.time() + 20
        while True:
            with engine.connect() as db:
                logged = set(db.execute(sa.text("SELECT answer_id FROM questions")).scalars())
                rating = db.execute(sa.text("SELECT rating FROM feedback WHERE answer_id = :a"), {"a": answer_id}).scalar()
            if {answer_id, other_id} <= logged or time.time() > deadline:
                break
            time.sleep(0.3)
    finally:
        engine.dispose()
    assert {answer_id, other_id} <= logged
    assert rating == "up"


def test_a_new_ingest_reaches_both_replicas_without_a_failed_request(cluster: Cluster):
    failures: list[str] = []
    asked = 0
    stop = threading.Event()

    def ask_in_a_loop() -> None:
        nonlocal asked
        for i in itertools.count():
            if stop.is_set():
                return
            response = cluster.replicas[i % 2].ask("洪山区创新平台最高支持多少？", new_address())
            asked += 1
            if response.status_code != 200 or not response.json()["citations"]:
                failures.append(f"{response.status_code} {response.text[:200]}")

    client = threading.Thread(target=ask_in_a_loop)
    client.start()
    try:
        raise_platform_cap(cluster.settings.corpus_dir, 180)
        second = run_ingest(cluster.settings)
        assert second.embedded == 1 and second.version != cluster.first_version
        deadline = time.time() + 60
        while {r.health().json()["index_version"] for r in cluster.replicas} != {second.version}:
            assert time.time() < deadline, "a replica did not switch to the new version"
            time.sleep(0.5)
        time.sleep(1.5)  # keep asking a little after the switch
    finally:
        stop.set()
        client.join(timeout=60)
    assert failures == [] and asked >= 4
    for replica in cluster.replicas:
        assert "180 万元" in replica.ask("洪山区创新平台最高支持多少？", new_address()).json()["answer"]


def _wait_for_health(replica: Replica, status: int, timeout: float = 30) -> dict:
    deadline = time.time() + timeout
    while True:
        response = replica.health()
        if response.status_code == status or time.time() > deadline:
            assert response.status_code == status, response.text
            return response.json()
        time.sleep(0.3)


def _answers_continue_while_health_names(cluster: Cluster, part: str) -> None:
    """Every request still answers with its citation, and both replicas report `part` degraded."""
    for replica in (*cluster.replicas, *cluster.replicas):
        response = replica.ask(QUESTION, new_address())
        assert response.status_code == 200, response.text
        assert response.json()["citations"][0]["clause"] == "五、强化算力普惠供给"
    for replica in cluster.replicas:
        health = _wait_for_health(replica, 503)
        assert health["status"] == "degraded" and health["degraded"] == [part] and health["index_version"]


def _outages_logged(caplog: pytest.LogCaptureFixture, server: str) -> int:
    return sum(1 for r in caplog.records if r.levelno >= logging.ERROR and r.getMessage().startswith(f"{server} at") and "unreachable" in r.getMessage())


def test_redis_down_degrades_and_comes_back(cluster: Cluster, caplog: pytest.LogCaptureFixture):
    a, b = cluster.replicas
    cluster.redis.stop()
    try:
        _answers_continue_while_health_names(cluster, "redis")
        # each replica remembers its own conversations meanwhile
        first = a.ask(QUESTION, new_address()).json()
        assert a.ask("那市里呢？", new_address(), first["session_id"]).json()["resolved_question"]
    finally:
        cluster.redis.start()  # an empty Redis: the harder case
    assert _outages_logged(caplog, "Redis") == 2  # once per replica, however many requests
    for replica in (a, b):
        assert _wait_for_health(replica, 200)["degraded"] == []
    address = new_address()
    first = a.ask(QUESTION, address).json()
    assert b.ask("那市里呢？", address, first["session_id"]).json()["resolved_question"]


def test_chroma_server_down_degrades_to_bm25_and_comes_back(cluster: Cluster, caplog: pytest.LogCaptureFixture):
    a, b = cluster.replicas
    cluster.chroma.stop()
    try:
        _answers_continue_while_health_names(cluster, "chroma")  # BM25 alone finds the clause
    finally:
        cluster.chroma.start()
    assert _outages_logged(caplog, "Chroma server") == 2  # once per replica
    for replica in (a, b):
        assert _wait_for_health(replica, 200)["degraded"] == []
        assert replica.ask(QUESTION, new_address()).status_code == 200
        assert replica.advisor.index.server is not None and replica.advisor.index.server.reachable  # dense search works again
