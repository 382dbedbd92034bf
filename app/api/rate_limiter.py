"""Chat requests per minute, per session and per client address (`RATE_LIMIT_PER_MINUTE`).

A moving one-minute window from the `limits` library, kept in memory: one
process serves the app, so there is nothing to share.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class ChatRateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.item = RateLimitItemPerMinute(per_minute)
        self._window = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, *keys: str) -> int | None:
        """Count one request against every key; None if allowed, else the seconds to wait.

        A refused request counts against none of the keys, so waiting always helps.
        """
        for key in keys:
            if not self._window.test(self.item, key):
                return self.retry_after(key)
        for key in keys:
            self._window.hit(self.item, key)
        return None

    def retry_after(self, key: str) -> int:
        reset_at = self._window.get_window_stats(self.item, key).reset_time
        return max(1, math.ceil(reset_at - time.time()))
