"""The polite HTTP client against a real server on 127.0.0.1."""

from __future__ import annotations

import threading

import httpx
import pytest

from readerapp.net.errors import (
    ArxivBlockedError,
    DownloadCancelled,
    OfflineError,
    RateLimitedError,
    TooLargeError,
)
from readerapp.net.http import USER_AGENT, ArxivClient, WebClient
from readerapp.net.ratelimit import RateLimiter, parse_retry_after
from tests.net.server import Reply, ScriptedServer, endless, stall


def test_get_returns_status_headers_and_body_and_sends_a_user_agent(server: ScriptedServer):
    server.route("/a", Reply(200, b"hello", {"Content-Type": "text/plain; charset=utf-8"}))
    client = WebClient()
    resp = client.get(server.url("/a"))
    assert (resp.status, resp.body, resp.content_type) == (200, b"hello", "text/plain")
    assert resp.text() == "hello"
    agent = server.hits("/a")[0].headers["User-Agent"]
    assert agent == USER_AGENT and agent.startswith("readerapp/")


def test_rate_limit_holds_between_requests_measured_at_the_server(server: ScriptedServer):
    server.route("/api", Reply(200, b"ok"))
    client = ArxivClient(min_interval=0.2)
    for _ in range(4):
        assert client.get(server.url("/api")).ok
    times = [hit.at for hit in server.hits("/api")]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.2


def test_rate_limit_holds_across_threads_one_connection_at_a_time(server: ScriptedServer):
    server.route("/api", Reply(200, b"ok"))
    client = ArxivClient(min_interval=0.2)
    threads = [threading.Thread(target=client.get, args=(server.url("/api"),)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = sorted(hit.at for hit in server.hits("/api"))
    assert len(times) == 3
    assert all(b - a >= 0.2 for a, b in zip(times, times[1:], strict=False))


def test_429_with_retry_after_is_honoured_then_succeeds(server: ScriptedServer):
    server.route("/api", Reply(429, b"slow down", {"Retry-After": "1"}), Reply(200, b"<feed/>"))
    client = ArxivClient(min_interval=0)
    resp = client.get(server.url("/api"))
    assert resp.body == b"<feed/>"
    first, second = server.hits("/api")
    assert second.at - first.at >= 1.0


def test_503_that_never_ends_gives_up_with_a_sentence(server: ScriptedServer):
    server.route("/api", Reply(503, b"busy", {"Retry-After": "0"}))
    limiter = RateLimiter(0, backoff_base=0.01, backoff_cap=0.05)
    from readerapp.net.http import PoliteClient

    client = PoliteClient(limiter, max_attempts=3)
    with pytest.raises(RateLimitedError) as info:
        client.get(server.url("/api"))
    assert "busy" in str(info.value) and "try again later" in str(info.value)
    assert len(server.hits("/api")) == 3


def test_retry_after_longer_than_we_wait_fails_fast(server: ScriptedServer):
    server.route("/api", Reply(429, b"", {"Retry-After": "3600"}))
    client = ArxivClient(min_interval=0)
    with pytest.raises(RateLimitedError):
        client.get(server.url("/api"))
    with pytest.raises(RateLimitedError) as info:  # the next request does not even go out
        client.get(server.url("/api"))
    assert "minutes" in str(info.value)
    assert len(server.hits("/api")) == 1


def test_403_from_arxiv_blocks_all_further_arxiv_traffic(server: ScriptedServer):
    server.route("/api", Reply(403, b"forbidden"))
    server.route("/pdf/1", Reply(200, b"%PDF-"))
    client = ArxivClient(min_interval=0)
    with pytest.raises(ArxivBlockedError) as info:
        client.get(server.url("/api"))
    assert "stopped contacting arXiv" in str(info.value)
    assert client.blocked
    with pytest.raises(ArxivBlockedError):
        client.get(server.url("/pdf/1"))
    assert server.hits("/pdf/1") == []


def test_403_from_another_site_is_just_a_status(server: ScriptedServer):
    server.route("/page", Reply(403, b"no"), Reply(200, b"yes"))
    client = WebClient()
    assert client.get(server.url("/page")).status == 403
    assert client.get(server.url("/page")).body == b"yes"


def test_a_server_that_never_answers_times_out_with_a_sentence(server: ScriptedServer):
    server.route("/slow", stall(server))
    client = WebClient(timeout=httpx.Timeout(0.3))
    with pytest.raises(OfflineError) as info:
        client.get(server.url("/slow"))
    assert "did not answer in time" in str(info.value)


def test_an_endless_body_stops_at_the_cap(server: ScriptedServer):
    server.route("/big", endless())
    client = WebClient()
    with pytest.raises(TooLargeError) as info:
        client.get(server.url("/big"), max_bytes=1024 * 1024)
    assert "larger than 1 MB" in str(info.value)


def test_a_declared_length_over_the_cap_is_refused_before_reading(server: ScriptedServer):
    server.route("/big", Reply(200, b"x" * 5000))
    with pytest.raises(TooLargeError):
        WebClient().get(server.url("/big"), max_bytes=4000)


def test_nobody_listening_is_offline():
    client = WebClient()
    with pytest.raises(OfflineError) as info:
        client.get("http://127.0.0.1:9/x")
    assert "could not reach 127.0.0.1" in str(info.value).lower()


def test_cancel_stops_a_download_and_says_so(server: ScriptedServer, tmp_path):
    server.route("/big", endless())
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int | None) -> None:
        seen.append(done)
        if done > 256 * 1024:
            cancel.set()

    with pytest.raises(DownloadCancelled):
        WebClient().download(
            server.url("/big"), tmp_path / "x.pdf", cancel=cancel, progress=progress
        )
    assert seen[-1] > 256 * 1024


def test_retry_after_accepts_seconds_and_http_dates():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=lambda: 1445412480.0 - 10) == 10
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
