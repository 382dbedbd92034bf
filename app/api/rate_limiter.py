"""Chat requests per minute, per session and per client address (`RATE_LIMIT_PER_MINUTE`).

A moving one-minute window from the `limits` library, kept in memory; with
`REDIS_URL` the window lives in Redis, so the limit holds across all replicas
(and falls back to this replica's memory while Redis is down).
"""

from __future__ import annotations

import math
import time

from fastapi import Request
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter

from app.api.errors import ApiError
from app.api.redis_link import KEY_PREFIX, TIMEOUT_SECONDS, RedisLink


def client_address(request: Request) -> str:
    """The caller's address as the server sees it (uvicorn already applied a trusted proxy's X-Forwarded-For)."""
    return request.client.host if request.client else "unknown"


def enforce(limiter: "ChatRateLimiter", message: str, *keys: str) -> None:
    """Count the request against `keys`; over the limit, a 429 with Retry-After and `message`
    (its `{seconds}` filled in) for the visitor."""
    wait = limiter.hit(*keys)
    if wait is not None:
        raise ApiError(429, "rate_limited", message.format(seconds=wait), headers={"Retry-After": str(wait)}, retry_after=wait)


class ChatRateLimiter:
    def __init__(self, per_minute: int, name: str = "chat", shared: RedisLink | None = None) -> None:
        """`name` keeps the counts of different limiters apart in a shared Redis."""
        self.item = RateLimitItemPerMinute(per_minute, namespace=f"{KEY_PREFIX}{name}")
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._link = shared
        self._shared = None
        if shared is not None:
            storage = RedisStorage(
                shared.url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
            )
            self._shared = MovingWindowRateLimiter(storage)

    def hit(self, *keys: str) -> int | None:
        """Count one request against every key; None if allowed, else the seconds to wait.

        A refused request counts against none of the keys, so waiting always helps.
        """
        if self._link is None or self._shared is None:
            return self._hit(self._local, keys)
        shared = self._shared
        return self._link.run(lambda _redis: self._hit(shared, keys), lambda: self._hit(self._local, keys))

    def _hit(self, window: MovingWindowRateLimiter, keys: tuple[str, ...]) -> int | None:
        for key in keys:
            if not window.test(self.item, key):
                return self._retry_after(window, key)
        for key in keys:
            window.hit(self.item, key)
        return None

    def _retry_after(self, window: MovingWindowRateLimiter, key: str) -> int:
        reset_at = window.get_window_stats(self.item, key).reset_time
        return max(1, math.ceil(reset_at - time.time()))
