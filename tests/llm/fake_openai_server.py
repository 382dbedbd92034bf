"""A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol, with scripted replies.

Each request to POST /v1/chat/completions takes the next scripted `Reply` and
is recorded (headers and JSON body), so a test can assert both what the
advisor did with the reply and what it sent. The server answers in the mode
the request asks for: a JSON completion, or server-sent events (`data: {…}`
chunks, then `data: [DONE]`) over chunked transfer encoding. A reply can
fail with any status, start late, or cut the stream after some chunks by
dropping the connection mid-body, as a crashing or overloaded server does.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    content: str = ""
    status: int = 200
    delay: float = 0.0  # seconds before the response starts
    cut_after: int | None = None  # streaming: drop the connection after this many content chunks
    finish_reason: str | None = "stop"
    chunk_chars: int = 6  # characters per streamed chunk
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]  # names lower-cased
    body: dict

    @property
    def streaming(self) -> bool:
        return bool(self.body.get("stream"))

    def messages(self, role: str) -> list[str]:
        return [_text(m["content"]) for m in self.body.get("messages", []) if m["role"] == role]

    @property
    def system(self) -> str:
        return "\n".join(self.messages("system"))

    @property
    def user(self) -> str:
        return "\n".join(self.messages("user"))

    def block(self, name: str) -> str:
        """The text the prompt puts between <<<{name}开始>>> and <<<{name}结束>>> on their own lines."""
        match = re.search(rf"^<<<{name}开始>>>\n(.*?)\n<<<{name}结束>>>$", self.user, re.DOTALL | re.MULTILINE)
        assert match, f"no {name} block in the prompt"
        return match.group(1)


def _text(content) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content)


class FakeOpenAI:
    """Start with `with FakeOpenAI() as server:`; `server.base_url` is what LLM_BASE_URL should be."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._script: deque[Reply] = deque()
        self._responder: Callable[[RecordedRequest], Reply] | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue the replies for the next requests, in order."""
        with self._lock:
            self._script.extend(replies)

    def respond_with(self, responder: Callable[[RecordedRequest], Reply]) -> None:
        """Answer every request not covered by `script` with `responder(request)` (a reply built from the prompt)."""
        self._responder = responder

    def next_reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._script:
                return self._script.popleft()
            if self._responder is not None:
                return self._responder(request)
        return Reply(status=500, content="the test scripted no reply for this request")

    @property
    def answer_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.streaming]

    @property
    def condense_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if not r.streaming]

    @property
    def unused_replies(self) -> int:
        return len(self._script)

    def wait(self, seconds: float) -> None:
        """Sleep that ends early when the server stops (a reply delayed past the test's end)."""
        self._stopping.wait(seconds)

    def __enter__(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler_for(server: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep pytest output clean
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._json(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})
                return
            body = json.loads(raw or b"{}")
            reply = server.next_reply(RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            if reply.delay:
                server.wait(reply.delay)
            try:
                if reply.status != 200:
                    error = {"error": {"message": reply.content or "scripted failure", "type": "server_error", "code": reply.status}}
                    self._json(reply.status, error, reply.headers)
                elif body.get("stream"):
                    self._stream(reply, body.get("model", "fake"))
                else:
                    self._json(200, _completion(reply, body.get("model", "fake")), reply.headers)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout): nothing to do

        def _json(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, reply: Reply, model: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            pieces = [reply.content[i : i + reply.chunk_chars] for i in range(0, len(reply.content), reply.chunk_chars)]
            self._event(_chunk(model, {"role": "assistant", "content": ""}, None))
            for n, piece in enumerate(pieces):
                if reply.cut_after is not None and n >= reply.cut_after:
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)  # mid-body: no final chunk, no [DONE]
                    return
                self._event(_chunk(model, {"content": piece}, None))
                time.sleep(0.002)
            self._event(_chunk(model, {}, reply.finish_reason))
            self._send_chunk(b"data: [DONE]\n\n")
            self._send_chunk(b"")

        def _event(self, payload: dict) -> None:
            self._send_chunk(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode())

        def _send_chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

    return Handler


def _chunk(model: str, delta: dict, finish_reason: str | None) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _completion(reply: Reply, model: str) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.content}, "finish_reason": reply.finish_reason}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
