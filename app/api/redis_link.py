"""The connection to the Redis that app replicas share (`REDIS_URL`), and what happens when it is down.

Every use names a fallback: while Redis is unreachable the replica keeps serving
from its own memory (conversations started elsewhere are not found, limits count
per replica). The outage and the recovery are each logged once, and `/healthz`
reports `redis` as degraded until a call succeeds again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

import redis

log = logging.getLogger(__name__)

T = TypeVar("T")
KEY_PREFIX = "advisor:"
TIMEOUT_SECONDS = 1.0  # a hung Redis must not hold up answers for long


class RedisLink:
    def __init__(self, url: str) -> None:
        self.url = url
        self.client = redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS)
        self._reachable = True
        self._state_lock = threading.Lock()

    @property
    def reachable(self) -> bool:
        return self._reachable

    def run(self, action: Callable[[redis.Redis], T], fallback: Callable[[], T]) -> T:
        """`action` on Redis; on a connection problem, `fallback()` instead."""
        try:
            value = action(self.client)
        except (redis.RedisError, OSError) as exc:
            self.note_failure(exc)
            return fallback()
        self.note_success()
        return value

    def check(self) -> bool:
        """Ping (for /healthz); updates and returns the reachable state."""
        return self.run(lambda client: bool(client.ping()), lambda: False)

    def note_failure(self, exc: BaseException) -> None:
        with self._state_lock:
            was, self._reachable = self._reachable, False
        if was:
            log.error("Redis at %s unreachable (%s); sessions and limits kept in this replica's memory until it is back", self.url, exc)

    def note_success(self) -> None:
        with self._state_lock:
            was, self._reachable = self._reachable, True
        if not was:
            log.warning("Redis at %s is back", self.url)
