"""Several real ``readerapp add`` processes against one stand-in arXiv API on 127.0.0.1, sharing
the machine's arXiv pacing file (the test's isolated XDG_STATE_HOME). Shared by the tests and by
``benchmarks/bench_hostile.py``."""

from __future__ import annotations

import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.net.arxiv_answers import api_feed

ATOM = "application/atom+xml; charset=utf-8"


def answer_ids(handler: BaseHTTPRequestHandler) -> None:
    """An API answer naming exactly the ids the request asked for."""
    ids = parse_qs(urlsplit(handler.path).query).get("id_list", [""])[0].split(",")
    body = api_feed(*((ident, 1, f"Paper {ident}") for ident in ids if ident))
    handler.send_response(200)
    handler.send_header("Content-Type", ATOM)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def add_process(api_url: str, home: Path, arxiv_id: str, interval: float) -> subprocess.Popen:
    """``readerapp --home HOME add ID --no-download`` with the pacing interval set explicitly."""
    env = dict(os.environ)
    env["READERAPP_ARXIV_API"] = api_url
    env["READERAPP_ARXIV_MIN_INTERVAL"] = str(interval)
    return subprocess.Popen(
        [sys.executable, "-m", "readerapp", "--home", str(home), "add", arxiv_id, "--no-download"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def smallest_gap(times: list[float]) -> float:
    ordered = sorted(times)
    return min(b - a for a, b in zip(ordered, ordered[1:], strict=False))
