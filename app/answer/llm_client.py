"""The chat model for any OpenAI-compatible endpoint, built from the settings.

Every call carries `max_tokens`, a timeout and the client's own retries with
backoff on 429 and 5xx (the `openai` client's `max_retries`, which honours
`Retry-After`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from langchain_openai import ChatOpenAI

from policy_core.settings import Settings

# Local servers (vLLM, Ollama) accept any key, but the client insists on one.
PLACEHOLDER_API_KEY = "not-needed"


class CompatibleChatOpenAI(ChatOpenAI):
    """`ChatOpenAI` that also sends the classic `max_tokens` field to endpoints other than OpenAI's.

    LangChain sends only `max_completion_tokens`, the field OpenAI introduced in
    2024. Several compatible servers (DeepSeek, Qwen's compatible mode, older
    vLLM and Ollama) know only `max_tokens` and would silently ignore the bound.
    """

    def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any) -> dict:
        payload = super()._get_request_payload(input_, stop=stop, **kwargs)
        host = urlsplit(self.openai_api_base or "").hostname or ""
        if "max_completion_tokens" in payload and not host.endswith("openai.com"):
            payload["max_tokens"] = payload["max_completion_tokens"]
        return payload


def chat_model(settings: Settings) -> ChatOpenAI:
    return CompatibleChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key or PLACEHOLDER_API_KEY,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
    )
