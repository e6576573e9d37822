"""arXiv politeness holds across processes: the pacing interval, a 429's Retry-After and a 403
block one process met hold for every other readerapp process on the machine."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from readerapp.net.errors import ArxivBlockedError, RateLimitedError
from readerapp.net.http import ArxivClient
from readerapp.net.shared_pacing import SharedPacing
from tests.net.arxiv_processes import add_process, answer_ids, smallest_gap
from tests.net.server import Reply, ScriptedServer

pytestmark = pytest.mark.slow


def test_three_processes_adding_at_once_keep_the_interval(
    server: ScriptedServer, tmp_path: Path
) -> None:
    """The first answer is held back for a while, so without a shared pacing the other two
    processes would send theirs meanwhile."""
    first = threading.Event()

    def held_then_answered(handler) -> None:
        if not first.is_set():
            first.set()
            server.release.wait(2.0)
        answer_ids(handler)

    server.route("/api/query", held_then_answered)
    interval = 0.5
    ids = ["2405.01234", "2405.05678", "2405.09999"]
    procs = [
        add_process(server.url("/api/query"), tmp_path / f"home{n}", ident, interval)
        for n, ident in enumerate(ids)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    times = [r.at for r in server.hits("/api/query")]
    assert len(times) == 3
    assert smallest_gap(times) >= interval * 0.95  # a lower bound the pacing guarantees


def test_a_retry_after_one_process_met_holds_for_the_next(
    server: ScriptedServer, tmp_path: Path
) -> None:
    server.route("/api/query", Reply(429, b"", {"Retry-After": "3600"}))
    first = add_process(server.url("/api/query"), tmp_path / "a", "2405.01234", 0)
    out1, err1 = first.communicate(timeout=60)
    second = add_process(server.url("/api/query"), tmp_path / "b", "2405.05678", 0)
    out2, err2 = second.communicate(timeout=60)
    assert len(server.hits("/api/query")) == 1  # the second process did not ask at all
    for text in (out1 + err1, out2 + err2):
        assert "slow down" in text and "Traceback" not in text


def test_a_403_blocks_arxiv_for_every_client_sharing_the_pacing(
    server: ScriptedServer, tmp_path: Path
) -> None:
    server.route("/api/query", Reply(403, b"Forbidden"))
    pacing = tmp_path / "state" / "arxiv-pacing.json"

    def client() -> ArxivClient:
        return ArxivClient(api_url=server.url("/api/query"), pacing=SharedPacing(pacing))

    with pytest.raises(ArxivBlockedError):
        client().get(server.url("/api/query"))
    with pytest.raises(ArxivBlockedError, match="stopped contacting arXiv"):
        client().get(server.url("/api/query"))  # a fresh client, as another process has
    assert len(server.hits("/api/query")) == 1


def test_a_damaged_pacing_file_does_not_stop_arxiv_traffic(
    server: ScriptedServer, tmp_path: Path
) -> None:
    pacing = tmp_path / "arxiv-pacing.json"
    pacing.write_text("{not json")
    server.route("/api/query", Reply(200, b"ok"))
    client = ArxivClient(api_url=server.url("/api/query"), pacing=SharedPacing(pacing))
    assert client.get(server.url("/api/query")).ok


def test_waiting_for_another_process_gives_up_with_a_sentence(tmp_path: Path) -> None:
    pacing = SharedPacing(tmp_path / "arxiv-pacing.json")
    other = SharedPacing(tmp_path / "arxiv-pacing.json")
    with (
        other.turn(None, 1.0),
        pytest.raises(RateLimitedError, match="Another readerapp"),
        pacing.turn(None, 0.2),
    ):
        pass
