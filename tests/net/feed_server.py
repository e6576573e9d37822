"""A real HTTP server on 127.0.0.1 for feed tests: routes with bodies, ETag/304, redirects, stalls."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    location: str | None = None
    stall: bool = False  # never answer until the server shuts down (a timeout)
    headers: dict[str, str] = field(default_factory=dict)


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                path = self.path.split("?")[0]
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(path) or server.routes.get(self.path)
                if route is None:
                    self._send(404, b"<html><body>Not found</body></html>", "text/html")
                    return
                if route.stall:
                    server.release.wait(30)
                    return
                if route.location:
                    self.send_response(route.status or 302)
                    self.send_header("Location", route.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                extra = dict(route.headers)
                if route.etag:
                    extra["ETag"] = route.etag
                self._send(route.status, route.body, route.content_type, extra)

            def _send(self, status, body, ctype, extra=None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.requests if p.split("?")[0] == path]


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.httpd.shutdown()
        server.httpd.server_close()


@contextmanager
def arxiv_rss_server(monkeypatch, routes: dict[str, Route]) -> Iterator[FeedServer]:
    """A feed server that readerapp's arXiv RSS address points at, serving ``routes``
    (``{"/rss/cs.LG": Route(body)}``) for as long as the test runs."""
    with feed_server() as server:
        monkeypatch.setenv("READERAPP_ARXIV_RSS", server.url("/rss/"))
        server.routes.update(routes)
        yield server
