"""A real HTTP server on 127.0.0.1 in a thread, with scripted answers, for network tests.

Routes map a path (without the query) to a list of answers served in turn (the last one repeats).
An answer is ``Reply(status, body, headers)`` or a callable ``(handler) -> None`` that writes the
response itself (to stall, cut a body short, or stream forever). Every request is recorded with
its arrival time (``time.monotonic()``), path, query and headers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    at: float
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


Answer = Reply | Callable[[BaseHTTPRequestHandler], None]


class ScriptedServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Answer]] = {}
        self.requests: list[Seen] = []
        self.release = threading.Event()  # stalled handlers wait on this; set at shutdown
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                server.requests.append(
                    Seen(time.monotonic(), parts.path, parse_qs(parts.query), dict(self.headers))
                )
                answers = server.routes.get(parts.path)
                if not answers:
                    answer: Answer = Reply(404, b"not found", {"Content-Type": "text/plain"})
                else:
                    answer = answers.pop(0) if len(answers) > 1 else answers[0]
                if isinstance(answer, Reply):
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                else:
                    answer(self)

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *answers: Answer) -> None:
        self.routes[path] = list(answers)

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def stall(server: ScriptedServer) -> Callable[[BaseHTTPRequestHandler], None]:
    """An answer that sends nothing until the server shuts down (for timeout tests)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        server.release.wait(30)

    return answer


def endless(content_type: str = "application/pdf") -> Callable[[BaseHTTPRequestHandler], None]:
    """An answer whose body never ends (no Content-Length, chunks until the client hangs up)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Connection", "close")
        handler.end_headers()
        chunk = b"%PDF-1.7\n" + b"0" * 65536
        try:
            for _ in range(100_000):
                handler.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True

    return answer


def cut_short(body: bytes, claimed: int) -> Callable[[BaseHTTPRequestHandler], None]:
    """An answer that promises ``claimed`` bytes and hangs up after sending ``body``."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.send_header("Content-Length", str(claimed))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        handler.close_connection = True

    return answer
