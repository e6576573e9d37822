"""Issue 18 figures: readerapp against hostile servers on 127.0.0.1, through the real CLI.

- ``feeds refresh`` of seven feeds, six hostile (a trickle of one byte a second, an endless body,
  a redirect loop, an entity bomb after a 1.1 MB comment, an HTML page, an ill-formed feed) and a
  good one: wall time of the whole command (<= 90 s) and its peak memory (<= 200 MB); each bad
  feed must end with its failure in words, the good one with its entries (else the figure MISSes)
- three ``readerapp add`` processes started at once against one stand-in arXiv API with the
  interval set to 1 s: the smallest gap between two API requests (>= 1 s)

Run: ``python -m benchmarks hostile`` (about 75 s; the trickle runs out its 60 s deadline).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import Figure, run_measured
from tests.net.arxiv_processes import add_process, answer_ids, smallest_gap
from tests.net.hostile_answers import (
    ILL_FORMED,
    RSS_TYPE,
    endless_feed,
    entity_bomb,
    html_page,
    redirect_loop,
    rss,
    trickle,
)
from tests.net.server import Reply, ScriptedServer

ARXIV_INTERVAL = 1.0


# The CLI, reporting its own peak memory as it exits. The kernel's figure for a child
# (ru_maxrss) counts the pages it shared with this process when it was forked, and this
# process has grown with every benchmark before this one; VmHWM after exec is the CLI's alone.
_REPORTING_PEAK = """
import atexit, runpy, sys

def report_peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    sys.stderr.write(f"\\npeak-kB {kb}\\n")

atexit.register(report_peak)
sys.argv = ["readerapp", *sys.argv[1:]]
runpy.run_module("readerapp", run_name="__main__")
"""


def _readerapp(env: dict[str, str], *argv: str) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run the CLI; returns the result, its wall time (s) and its own peak resident memory (MB)."""
    done, elapsed, _usage = run_measured([sys.executable, "-c", _REPORTING_PEAK, *argv], env)
    peaks = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("peak-kB ")]
    return done, elapsed, int(peaks[-1]) / 1024 if peaks else float("inf")


def _isolated_env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(base / var.lower())
    env["READERAPP_HOME"] = str(base / "library")
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def hostile_refresh() -> list[Figure]:
    servers = {name: ScriptedServer() for name in
               ("trickle", "huge", "loop", "bomb", "html", "illformed", "good")}  # fmt: skip
    for server in servers.values():
        server.__enter__()
    try:
        s = servers
        s["trickle"].route("/feed", trickle(rss(items=200), 1.0, s["trickle"].release))
        s["huge"].route("/feed", endless_feed(s["huge"].release))
        s["loop"].route("/feed", redirect_loop("/feed"))
        s["bomb"].route("/feed", Reply(200, entity_bomb(1_100_000), RSS_TYPE))
        s["html"].route("/feed", Reply(200, html_page(), {"Content-Type": "text/html"}))
        s["illformed"].route("/feed", Reply(200, ILL_FORMED, RSS_TYPE))
        s["good"].route("/feed", Reply(200, rss("The good blog", items=20), RSS_TYPE))
        with tempfile.TemporaryDirectory() as tmp:
            env = _isolated_env(Path(tmp))
            urls = {name: server.url("/feed") for name, server in s.items()}
            for name, server in s.items():
                added, _, _ = _readerapp(env, "feeds", "add", server.url("/feed"), "--title", name)
                if added.returncode != 0:
                    raise RuntimeError(f"feeds add {name} failed: {added.stderr}")
            # Peak memory is read over all children so far: the adds above are far smaller.
            refreshed, seconds, peak_mb = _readerapp(env, "feeds", "refresh")
            listed, _, _ = _readerapp(env, "feeds", "list", "--json")
    finally:
        for server in servers.values():
            server.__exit__(None, None, None)
    rows = {row["url"]: row for row in json.loads(listed.stdout)}
    print(f"  feeds refresh exited {refreshed.returncode}; per feed:", flush=True)
    in_words = 0
    for name, url in urls.items():
        row = rows.get(url, {})
        said = row.get("last_error") or f"ok, {row.get('unread')} unread"
        print(f"    {name}: {said}", flush=True)
        in_words += name != "good" and len((row.get("last_error") or "").split()) > 4
    good = rows.get(urls["good"], {})
    all_said = in_words == len(urls) - 1 and good.get("unread") == 20 and not good["last_error"]
    return [
        Figure("hostile feeds refresh, wall time", seconds if all_said else float("inf"), 90, "s"),
        Figure("hostile feeds refresh, peak memory", peak_mb, 200, "MB"),
    ]


def arxiv_gap() -> Figure:
    with ScriptedServer() as server, tempfile.TemporaryDirectory() as tmp:
        server.route("/api/query", answer_ids)
        base = Path(tmp)
        os.environ.update(_isolated_env(base))  # the children inherit the shared state dir
        ids = ["2405.01234", "2405.05678", "2405.09999"]
        procs = [
            add_process(server.url("/api/query"), base / f"home{n}", ident, ARXIV_INTERVAL)
            for n, ident in enumerate(ids)
        ]
        for proc in procs:
            proc.communicate(timeout=120)
        times = [r.at for r in server.hits("/api/query")]
    gap = smallest_gap(times) if len(times) >= 2 else 0.0
    return Figure("smallest gap between arXiv API requests, 3 processes", gap,
                  ARXIV_INTERVAL, "s", higher_is_better=True)  # fmt: skip


def run() -> list[Figure]:
    saved = dict(os.environ)
    try:
        return [*hostile_refresh(), arxiv_gap()]
    finally:
        os.environ.clear()
        os.environ.update(saved)
