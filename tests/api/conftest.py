"""Servers for the API tests: the widget API on a real uvicorn port, talked to over loopback with httpx."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from app.api import install_api
from policy_core.settings import Settings
from tests.support.servers import serve_asgi

ALLOWED = "http://allowed.example"


def api_app(settings: Settings, advisor) -> FastAPI:
    """The API alone on a bare FastAPI (the full app adds the Gradio page; the browser tests use that)."""
    application = FastAPI(title="policy advisor API under test")
    install_api(application, settings, advisor)
    return application


@contextlib.contextmanager
def serve_api(settings: Settings, advisor, **overrides) -> Iterator[str]:
    """Serve the API with some settings changed (origins, rate limit, session bounds); yields the base URL."""
    with serve_asgi(api_app(settings.model_copy(update=overrides), advisor)) as base:
        yield base


def client_from(address: str, base: str) -> httpx.Client:
    """An HTTP client whose requests come from another loopback address (127.0.0.2 …), i.e. another visitor."""
    return httpx.Client(base_url=base, transport=httpx.HTTPTransport(local_address=address), timeout=30)


@dataclass
class SseEvent:
    event: str
    data: dict


def read_sse(response: httpx.Response) -> list[SseEvent]:
    """Parse a server-sent-events body into (event, JSON data) pairs; comments (pings) skipped."""
    events, name, data = [], "message", []
    for line in response.iter_lines():
        if line == "":
            if data:
                events.append(SseEvent(name, json.loads("\n".join(data))))
            name, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            name = line[len("event:") :].strip()
        elif line.startswith("data:"):
            data.append(line[len("data:") :].removeprefix(" "))
    if data:
        events.append(SseEvent(name, json.loads("\n".join(data))))
    return events


@pytest.fixture(scope="module")
def api_base(settings: Settings, advisor) -> Iterator[str]:
    """The API allowing one foreign origin, with a rate limit no test here reaches."""
    with serve_api(settings, advisor, allowed_origins=[ALLOWED], rate_limit_per_minute=1000) as base:
        yield base


@pytest.fixture
def api(api_base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_base, timeout=30) as client:
        yield client
