"""Who may open `/admin`: the holder of `ADMIN_TOKEN`, proven by a header or by the cookie its login form sets.

The token itself never travels in a URL and is never stored in the cookie:
the cookie holds an expiry and an HMAC of it keyed by the token, so changing
`ADMIN_TOKEN` signs every session out. Tokens are compared as SHA-256 digests
with `hmac.compare_digest` (constant time, and no length leak). Wrong tokens
count against the client address; after `WRONG_TOKENS_PER_MINUTE` of them
every attempt from that address is refused until the minute has passed, the
right token included, so guessing learns nothing while blocked.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass
from typing import Literal

from fastapi import Request
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.responses import Response

from app.api.rate_limiter import client_address

COOKIE_NAME = "pa_admin"
COOKIE_PATH = "/admin"
SESSION_SECONDS = 8 * 3600
WRONG_TOKENS_PER_MINUTE = 5

Verdict = Literal["signed_in", "anonymous", "wrong_token"]


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


@dataclass(frozen=True)
class Blocked:
    retry_after: int  # seconds


class AdminGate:
    def __init__(self, token: str, now=time.time) -> None:
        self._token_digest = _digest(token)
        self._key = b"policy-advisor admin session:" + token.encode("utf-8")
        self._now = now
        self._limit = RateLimitItemPerMinute(WRONG_TOKENS_PER_MINUTE)
        self._wrong = MovingWindowRateLimiter(MemoryStorage())

    # -- the token ------------------------------------------------------------------
    def token_matches(self, given: str) -> bool:
        return hmac.compare_digest(_digest(given), self._token_digest)

    def blocked(self, address: str) -> Blocked | None:
        """Too many wrong tokens from this address this minute: how long to wait."""
        if self._wrong.test(self._limit, address):
            return None
        reset_at = self._wrong.get_window_stats(self._limit, address).reset_time
        return Blocked(max(1, math.ceil(reset_at - time.time())))

    def count_wrong(self, address: str) -> None:
        self._wrong.hit(self._limit, address)

    # -- the session cookie ---------------------------------------------------------
    def _signature(self, expires: int) -> str:
        return hmac.new(self._key, str(expires).encode(), hashlib.sha256).hexdigest()

    def session_value(self) -> str:
        expires = int(self._now()) + SESSION_SECONDS
        return f"{expires}.{self._signature(expires)}"

    def session_valid(self, value: str | None) -> bool:
        expires, _, signature = (value or "").partition(".")
        if not expires.isdigit() or int(expires) < self._now():
            return False
        return hmac.compare_digest(signature.encode(), self._signature(int(expires)).encode())

    def set_session(self, response: Response, secure: bool) -> None:
        response.set_cookie(
            COOKIE_NAME, self.session_value(), max_age=SESSION_SECONDS, path=COOKIE_PATH,
            httponly=True, samesite="strict", secure=secure,
        )  # fmt: skip

    @staticmethod
    def end_session(response: Response, secure: bool) -> None:
        response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH, httponly=True, samesite="strict", secure=secure)

    # -- a request ------------------------------------------------------------------
    def check_token(self, given: str, address: str) -> Verdict | Blocked:
        """A token attempt from `address` (the login form or a header): refused unseen while blocked."""
        if (wait := self.blocked(address)) is not None:
            return wait
        if self.token_matches(given):
            return "signed_in"
        self.count_wrong(address)
        return "wrong_token"

    def verdict(self, request: Request) -> Verdict | Blocked:
        """Signed in by a valid cookie or by the right `Authorization: Bearer` token; anything in the URL is ignored."""
        if self.session_valid(request.cookies.get(COOKIE_NAME)):
            return "signed_in"
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return "anonymous"
        return self.check_token(given.strip(), client_address(request))
