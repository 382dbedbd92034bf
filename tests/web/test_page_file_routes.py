"""Over real HTTP: the page is served, Gradio's file routes serve nothing, the queue is bounded and parallel."""

from __future__ import annotations

import httpx
import pytest

from app.server import create_app
from policy_core.settings import PROJECT_ROOT
from tests.support.servers import serve_asgi

# what an attacker would try: absolute paths, traversal to the project's .env and data, encoded variants, URLs
PROBES = [
    "/gradio_api/file=/etc/passwd",
    "/gradio_api/file=../.env",
    "/gradio_api/file=.env",
    f"/gradio_api/file={PROJECT_ROOT}/pyproject.toml",
    "/gradio_api/file=%2Fetc%2Fpasswd",
    "/gradio_api/file%3D/etc/passwd",
    "/gradio_api/file=..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/gradio_api/file=%252Fetc%252Fpasswd",
    "/gradio_api/file=http://example.com/",
    "/gradio_api/file=http://127.0.0.1:1/",
    "/file=/etc/passwd",
    "/gradio_api/file=/proc/self/environ",
]


@pytest.fixture(scope="module")
def page_url(settings, advisor):
    with serve_asgi(create_app(settings, advisor)) as url:
        yield url


def test_page_is_served(page_url):
    response = httpx.get(page_url + "/", timeout=30)
    assert response.status_code == 200 and "武汉人工智能产业政策问答" in response.text


@pytest.mark.parametrize("probe", PROBES)
def test_file_routes_serve_nothing(page_url, probe, settings):
    secret = PROJECT_ROOT / ".env"
    for method in ("GET", "HEAD"):
        response = httpx.request(method, page_url + probe, timeout=30)
        assert response.status_code in (403, 404), f"{method} {probe} → {response.status_code}"
        assert "root:" not in response.text and "[project]" not in response.text
        if secret.exists():
            assert secret.read_text(errors="ignore")[:40] not in response.text


def mounted_blocks(application):
    """The Gradio Blocks behind the app's mount at `/`."""
    from starlette.routing import Mount

    (mount,) = [r for r in application.routes if isinstance(r, Mount) and hasattr(r.app, "get_blocks")]
    return mount.app.get_blocks()


def test_queue_is_bounded_and_parallel(settings, advisor):
    blocks = mounted_blocks(create_app(settings, advisor))
    assert blocks._queue.max_size == settings.queue_max_size
    chat_fns = [fn for fn in blocks.fns.values() if fn.queue and fn.name == "respond"]
    assert len(chat_fns) == 4  # Enter, the 发送 button, a starter question, a suggested follow-up
    assert settings.queue_concurrency > 1
    # one shared limit of QUEUE_CONCURRENCY answers, however they were asked
    assert {fn.concurrency_id for fn in chat_fns} == {"answer"}
    assert all(fn.concurrency_limit == "default" for fn in chat_fns)
    assert blocks._queue.default_concurrency_limit == settings.queue_concurrency


def test_no_share_link_and_no_api_listing(page_url):
    config = httpx.get(page_url + "/config", timeout=30).json()
    assert not config.get("share_url") and not config.get("is_space")
    assert config["footer_links"] == []


def test_uploads_are_tiny_and_never_served_back(page_url):
    """The page takes no files; Gradio's upload route stays, limited, and what lands there is not downloadable."""
    too_big = httpx.post(page_url + "/gradio_api/upload", files={"files": ("big.bin", b"x" * 200_000)}, timeout=30)
    assert too_big.status_code == 413
    small = httpx.post(page_url + "/gradio_api/upload", files={"files": ("note.html", b"<script>alert(1)</script>")}, timeout=30)
    assert small.status_code == 200
    (stored,) = small.json()
    assert httpx.get(page_url + "/gradio_api/file=" + stored, timeout=30).status_code in (403, 404)
