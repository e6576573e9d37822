"""readerapp against the programs a user would pick instead, both measured in the same run.

- ``feeds refresh`` of a fresh library following a 1,504-item arXiv RSS day served from
  127.0.0.1, the whole ``readerapp`` process, / newsboat 2.21 reloading the same feed into an
  empty cache (``newsboat -x reload``, ``reload-threads 1``); CPU time of each process (user +
  system), median over back-to-back pairs (<= 1.5).
- peak resident memory (VmHWM) paging through a 352-page book-like PDF made in the run, 360
  page turns under Xvfb, the real app on the xcb platform / Sioyek 2.0 on the same file, median
  over back-to-back pairs (<= 1.0). Both show a whole page and turn a whole page per key, so both
  reach the last page: the app in Fit Page (Ctrl+2) with Page Down; Sioyek fitted to the page's
  height (its ``fit_to_page_height``, given a key in its user config) with its ``next_page``
  (Ctrl+Page Down); Sioyek's own Page Down moves a screenful, a third of a page at its width.
- the whole window ready with a paper (what ``--screenshot --open`` waits for: every tab and menu
  installed, ``window.features_ready``, and page 1 painted) / a bare PySide6 window showing a raw
  PyMuPDF render of that page (<= 2.0).
- the first page painted / the same floor (<= 1.25).

The peers come from Debian; a peer that is not installed is skipped with a sentence::

    sudo apt-get install newsboat sioyek xvfb xdotool x11-utils

Each side runs in its own process with its own temporary HOME, so neither reads the user's
configuration. Xvfb runs on a display number no other X server here uses.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from benchmarks import Figure, compile_app_bytecode, run_measured

REPO = Path(__file__).resolve().parents[1]
BOOK_PAGES = 352
PAGE_DOWNS = 360
KEY_DELAY_MS = 40  # 25 pages a second: a quick reader, and each side keeps up
FEED_PAIRS = 7
MEMORY_PAIRS = 3
STARTUP_PAIRS = 11
PROBE = "benchmarks._first_page_probe"


def _readerapp_command() -> list[str]:
    """The installed ``readerapp`` entry point beside this interpreter, as a user runs it."""
    script = Path(sys.executable).parent / "readerapp"
    return [str(script)] if script.exists() else [sys.executable, "-m", "readerapp"]


def _timed(cmd: list[str], env: dict[str, str], cwd: str | None = None) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one process, which must succeed."""
    done, wall, usage = run_measured(cmd, env, cwd)
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({done.returncode}): {done.stderr[-1500:]}")
    return usage.ru_utime + usage.ru_stime, wall


# ---- 1. feeds refresh vs newsboat -------------------------------------------------------------
class _FeedServer:
    """Serves one RSS body at every path of 127.0.0.1:PORT."""

    def __init__(self, body: bytes) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass  # one line per request on stderr would drown the figures

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def feed_refresh_pairs(work: Path) -> tuple[list[float], list[float], list[float], list[float]]:
    """CPU and wall seconds of ``readerapp feeds refresh`` and ``newsboat -x reload``."""
    from tests.feed_samples import large_arxiv_rss  # a 1,504-item arXiv day in arXiv's format

    body = large_arxiv_rss()
    server = _FeedServer(body)
    ours_cpu, ours_wall, peer_cpu, peer_wall = [], [], [], []
    try:
        base = dict(os.environ, READERAPP_ARXIV_RSS=server.url, READERAPP_ARXIV_MIN_INTERVAL="0")
        base.pop("QT_QPA_PLATFORM", None)
        for n in range(FEED_PAIRS):
            run = work / f"feeds-{n}"
            home, nb_home = run / "library", run / "newsboat"
            nb_home.mkdir(parents=True)
            (nb_home / "urls").write_text(server.url + "cs\n")
            (nb_home / "config").write_text("reload-threads 1\n")
            env = dict(base, HOME=str(run))
            # Following the feed is set up beforehand: the figure is the refresh.
            subprocess.run(
                [*_readerapp_command(), "--home", str(home), "feeds", "add", "arxiv:cs"],
                env=env, check=True, capture_output=True,
            )  # fmt: skip
            ours = [*_readerapp_command(), "--home", str(home), "feeds", "refresh"]
            peer = ["newsboat", "-u", "urls", "-c", "cache.db", "-C", "config", "-x", "reload"]
            peer_env = dict(base, HOME=str(nb_home))
            for side in ("ours", "peer") if n % 2 else ("peer", "ours"):
                if side == "ours":
                    cpu, wall = _timed(ours, env)
                    ours_cpu.append(cpu)
                    ours_wall.append(wall)
                else:
                    cpu, wall = _timed(peer, peer_env, cwd=str(nb_home))
                    peer_cpu.append(cpu)
                    peer_wall.append(wall)
    finally:
        server.close()
    return ours_cpu, ours_wall, peer_cpu, peer_wall


def feeds_figure(work: Path) -> Figure | str:
    if shutil.which("newsboat") is None:
        return "peers: newsboat is not installed (apt-get install newsboat): feeds figure skipped"
    ours_cpu, ours_wall, peer_cpu, peer_wall = feed_refresh_pairs(work)
    ratio = statistics.median(o / p for o, p in zip(ours_cpu, peer_cpu, strict=True))
    return Figure(
        f"peers: feeds refresh 1504-item arXiv RSS, whole process CPU ("
        f"{statistics.median(ours_cpu):.2f} s) / newsboat -x reload ("
        f"{statistics.median(peer_cpu):.2f} s), median of {FEED_PAIRS} pairs (wall "
        f"{statistics.median(ours_wall):.2f} s vs {statistics.median(peer_wall):.2f} s)",
        ratio,
        1.5,
    )


# ---- 2. peak memory paging a book vs sioyek ---------------------------------------------------
class _Xvfb:
    """An Xvfb server of our own, on a display number no other X server here uses."""

    def __init__(self) -> None:
        used = {p.name for p in Path("/tmp/.X11-unix").glob("X*")}
        lock_used = {p.name[2:-5] for p in Path("/tmp").glob(".X*-lock")}
        number = next(n for n in range(147, 400) if f"X{n}" not in used and str(n) not in lock_used)
        self.display = f":{number}"
        self.proc = subprocess.Popen(
            ["Xvfb", self.display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        socket = Path(f"/tmp/.X11-unix/X{number}")
        deadline = time.monotonic() + 10
        while not socket.exists():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError(f"Xvfb did not start on {self.display}")
            time.sleep(0.05)

    def close(self) -> None:
        self.proc.terminate()  # our own server, by its pid
        self.proc.wait(10)


def _xdotool(display: str, *args: str) -> str:
    done = subprocess.run(
        ["xdotool", *args], env=dict(os.environ, DISPLAY=display),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return done.stdout  # stderr: xdotool's "XGetInputFocus returned ..." noise


def _vm_hwm_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def _page_through(
    cmd: list[str], env: dict[str, str], display: str, fit_page: str, next_page: str
) -> float:
    """Start ``cmd`` (a viewer on the book), put it in Fit Page with the key ``fit_page``, turn
    PAGE_DOWNS pages with the key ``next_page``, and return its peak RSS in MB."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        window = ""
        deadline = time.monotonic() + 60
        while not window:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{Path(cmd[0]).name} showed no window")
            time.sleep(0.2)
            found = _xdotool(display, "search", "--onlyvisible", "--pid", str(proc.pid))
            window = found.split()[-1] if found.split() else ""
        _xdotool(display, "windowsize", window, "1100", "850")
        time.sleep(2.0)  # the document is open and its first page drawn
        _xdotool(display, "windowfocus", "--sync", window)
        _xdotool(display, "key", fit_page)
        time.sleep(1.0)  # the page is drawn again at its new size
        keys = [next_page] * PAGE_DOWNS
        _xdotool(display, "key", "--delay", str(KEY_DELAY_MS), *keys)
        time.sleep(2.0)  # the last pages are drawn
        if proc.poll() is not None:
            raise RuntimeError(f"{Path(cmd[0]).name} quit while paging")
        return _vm_hwm_mb(proc.pid)
    finally:
        proc.terminate()  # by its pid
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def memory_figure(work: Path) -> Figure | str:
    missing = [p for p in ("sioyek", "Xvfb", "xdotool") if shutil.which(p) is None]
    if missing:
        return (
            f"peers: {', '.join(missing)} not installed (apt-get install sioyek xvfb xdotool): "
            "memory figure skipped"
        )
    from benchmarks.bench_viewer import make_paper_like

    book = make_paper_like(work / "book.pdf", BOOK_PAGES)
    xvfb = _Xvfb()
    ours, peer = [], []
    try:
        for n in range(MEMORY_PAIRS):
            run = work / f"memory-{n}"
            run.mkdir()
            env = dict(os.environ, DISPLAY=xvfb.display, HOME=str(run), QT_QPA_PLATFORM="xcb")
            for side in ("ours", "peer") if n % 2 else ("peer", "ours"):
                if side == "ours":
                    cmd = [*_readerapp_command(), "--home", str(run / "library"), str(book)]
                    # Fit Page (Ctrl+2); there, Page Down turns a whole page.
                    ours.append(_page_through(cmd, env, xvfb.display, "ctrl+2", "Next"))
                else:
                    # Sioyek's Page Down is a screenful and its fit-to-height command has no
                    # key: give it one; its next_page command is Ctrl+Page Down.
                    config = run / ".config" / "sioyek"
                    config.mkdir(parents=True, exist_ok=True)
                    (config / "keys_user.config").write_text("fit_to_page_height <f8>\n")
                    cmd = ["sioyek", str(book)]
                    peer.append(_page_through(cmd, env, xvfb.display, "F8", "ctrl+Next"))
    finally:
        xvfb.close()
    ratio = statistics.median(o / p for o, p in zip(ours, peer, strict=True))
    return Figure(
        f"peers: peak RSS paging {BOOK_PAGES} pages ({PAGE_DOWNS} page turns, Xvfb), readerapp "
        f"({statistics.median(ours):.0f} MB) / Sioyek ({statistics.median(peer):.0f} MB), "
        f"median of {MEMORY_PAIRS} pairs",
        ratio,
        1.0,
    )


# ---- 3. whole window ready and first page vs a bare window ------------------------------------
def _probe(*args: str) -> tuple[float, dict]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", PROBE, *args],
        capture_output=True, text=True, env=env, timeout=600, cwd=str(REPO),
    )  # fmt: skip
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"start-up probe {args[0]} failed: {done.stderr[-2000:]}")
    return started, json.loads(lines[-1])


def startup_figures(work: Path) -> list[Figure]:
    from benchmarks.bench_viewer import STARTUP_PAGES

    paper = make_paper(work)
    home = work / "startup-home"
    compile_app_bytecode()
    # Create the library once (a normal start) and learn the zoom the page is shown at.
    zoom = str(_probe("--first-page", str(paper), str(home))[1]["zoom"])
    sides = {
        "bare": ("--bare", str(paper), zoom),
        "first": ("--first-page", str(paper), str(home)),
        "ready": ("--window-ready", str(paper), str(home)),
    }
    times: dict[str, list[float]] = {side: [] for side in sides}
    for n in range(STARTUP_PAIRS):
        order = ["bare", "first", "ready"]
        for side in order[n % 3 :] + order[: n % 3]:
            started, result = _probe(*sides[side])
            times[side].append(result["painted"] - started)
    bare = times["bare"]
    figures = []
    for side, label, target in (
        ("ready", "whole window ready with a paper (every tab and menu)", 2.0),
        ("first", "first page painted", 1.25),
    ):
        ratio = statistics.median(o / b for o, b in zip(times[side], bare, strict=True))
        figures.append(
            Figure(
                f"peers: {label} ({statistics.median(times[side]) * 1000:.0f} ms) / bare window "
                f"+ raw render ({statistics.median(bare) * 1000:.0f} ms), {STARTUP_PAGES} pages, "
                f"median of {STARTUP_PAIRS} back-to-back triples",
                ratio,
                target,
            )
        )
    return figures


def make_paper(work: Path) -> Path:
    from benchmarks.bench_viewer import STARTUP_PAGES, make_paper_like

    return make_paper_like(work / "paper.pdf", STARTUP_PAGES)


def run() -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        work = Path(tmp)
        for measure in (feeds_figure, memory_figure):
            result = measure(work)
            if isinstance(result, str):
                print(result, flush=True)
            else:
                figures.append(result)
        figures.extend(startup_figures(work))
    return figures
