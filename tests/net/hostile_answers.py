"""What hostile or broken servers send, as answers for :class:`tests.net.server.ScriptedServer`:
a trickle, an endless body, a redirect loop, an entity bomb after a long comment, an HTML page,
an ill-formed feed. Shared by the tests and by ``benchmarks/bench_hostile.py``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

from tests.net.server import Reply

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
ITEM = "<item><title>{title} {n}</title><link>https://blog.example/{n}</link></item>"


def rss(title: str = "A good blog", items: int = 3, item_title: str = "Post") -> bytes:
    entries = "".join(ITEM.format(title=item_title, n=n) for n in range(items))
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://blog.example/</link>{entries}</channel></rss>"
    ).encode()


def send_feed(handler: BaseHTTPRequestHandler, title: str) -> None:
    """Answer with a small, good feed (for answers that first wait for something)."""
    body = rss(title)
    handler.send_response(200)
    handler.send_header("Content-Type", RSS_TYPE["Content-Type"])
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def trickle(
    body: bytes,
    every: float,
    release: threading.Event,
    content_type: str = RSS_TYPE["Content-Type"],
) -> Callable[[BaseHTTPRequestHandler], None]:
    """Headers at once, then the body one byte every ``every`` seconds (until ``release``)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        _drip(handler, body, every, release)

    return answer


def _drip(
    handler: BaseHTTPRequestHandler, data: bytes, every: float, release: threading.Event
) -> None:
    """Send ``data`` one byte every ``every`` seconds (until ``release``), then hang up."""
    try:
        for byte in data:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            if release.wait(every):
                break
    except (BrokenPipeError, ConnectionResetError):
        pass
    handler.close_connection = True


def endless_feed(release: threading.Event) -> Callable[[BaseHTTPRequestHandler], None]:
    """A feed that never ends: items as fast as the client reads, no Content-Length."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", RSS_TYPE["Content-Type"])
        handler.send_header("Connection", "close")
        handler.end_headers()
        chunk = ITEM.format(title="More", n=0).encode() * 1000
        try:
            handler.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
            while not release.is_set():
                handler.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True

    return answer


def redirect_loop(path: str) -> Reply:
    return Reply(302, b"", {"Location": path})


def entity_bomb(padding: int = 1_100_000) -> bytes:
    """Billion laughs, its DOCTYPE after a comment of ``padding`` bytes (past any prefix check)."""
    levels = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return (
        f'<?xml version="1.0"?><!-- {"x" * padding} -->'
        f'<!DOCTYPE rss [<!ENTITY lol0 "lol">{levels}]>'
        '<rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>&lol9;</title><link>https://a.example/</link></item></channel></rss>"
    ).encode()


def html_page(*feeds: str) -> bytes:
    """A blog's home page naming its feeds the way pages do."""
    links = "".join(
        f'<link rel="alternate" type="application/{"atom" if f.endswith("atom") else "rss"}+xml" '
        f'title="Feed {n}" href="{f}">'
        for n, f in enumerate(feeds)
    )
    return (
        f"<!doctype html><html><head><title>A blog</title>{links}</head>"
        "<body><h1>A blog</h1></body></html>"
    ).encode()


ILL_FORMED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</ti'


def trickled_headers(
    every: float, release: threading.Event
) -> Callable[[BaseHTTPRequestHandler], None]:
    """A status line and headers sent one byte every ``every`` seconds, never finishing."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Padding: " + b"x" * 4000
        _drip(handler, head, every, release)

    return answer
