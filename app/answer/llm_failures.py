"""Naming why an LLM call failed, in one log line, and whether the endpoint looks down.

The user never sees these: they get the extractive answer and a short notice.
An operator reading the log sees the cause (timeout, unreachable, 429, 5xx,
bad key, unknown model, a stream cut) and which setting to look at.
"""

from __future__ import annotations

from dataclasses import dataclass

import openai

from policy_core.settings import Settings


# The openai client's transport (httpx, or httpx2 in recent releases) raises its own errors when a
# response body breaks off mid-stream; they are not wrapped in openai's exception classes.
_HTTP_LIBRARIES = {"httpx", "httpx2", "httpcore", "h11"}


@dataclass
class LlmFailure:
    cause: str
    endpoint_down: bool  # worth pausing calls for a while (LLM_COOLDOWN_SECONDS)


def describe_failure(exc: BaseException, settings: Settings, mid_stream: bool = False) -> LlmFailure:
    """`mid_stream`: the failure came after part of the answer had arrived."""
    if (mid_stream and isinstance(exc, openai.APIConnectionError)) or _from_http_library(exc):
        cause = exc.__cause__ or exc
        return LlmFailure(f"the response stream broke off: {type(cause).__name__}: {_short(str(cause))}", False)
    retries = f"after {settings.llm_max_retries} retries" if settings.llm_max_retries else "(no retries)"
    if isinstance(exc, openai.APITimeoutError):
        return LlmFailure(f"timed out after {settings.llm_timeout:g}s (LLM_TIMEOUT) {retries}", True)
    if isinstance(exc, openai.APIConnectionError):
        reason = exc.__cause__ or exc
        return LlmFailure(f"cannot reach {settings.llm_base_url} {retries}: {reason}", True)
    if isinstance(exc, openai.AuthenticationError):
        return LlmFailure("the endpoint rejected the key (401): check LLM_API_KEY", True)
    if isinstance(exc, openai.NotFoundError):
        return LlmFailure(f"404 from the endpoint: check LLM_BASE_URL and LLM_MODEL={settings.llm_model!r}", True)
    if isinstance(exc, openai.RateLimitError):
        return LlmFailure(f"rate limited (429) {retries}", True)
    if isinstance(exc, openai.APIStatusError):
        return LlmFailure(f"HTTP {exc.status_code} from the endpoint {retries}: {_short(exc.message)}", exc.status_code >= 500)
    return LlmFailure(f"{type(exc).__name__}: {_short(str(exc))}", False)


def _from_http_library(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] in _HTTP_LIBRARIES


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
