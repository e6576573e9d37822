"""PDF downloads: checked, atomic, and nothing left behind on any failure."""

from __future__ import annotations

import threading
from pathlib import Path

import pymupdf
import pytest

from readerapp.net.download import download_pdf
from readerapp.net.errors import DownloadCancelled, NotAPdfError, OfflineError, TooLargeError
from readerapp.net.http import ArxivClient
from tests.net.arxiv_answers import make_pdf
from tests.net.server import Reply, ScriptedServer, cut_short, endless

PDF_HEADERS = {"Content-Type": "application/pdf"}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def client() -> ArxivClient:
    return ArxivClient(min_interval=0)


def test_a_pdf_is_downloaded_and_opens(server: ScriptedServer, client, tmp_path):
    server.route("/pdf/2401.00001v1", Reply(200, make_pdf("Hello"), PDF_HEADERS))
    target = tmp_path / "arxiv" / "2401.00001v1.pdf"
    seen: list[tuple[int, int | None]] = []
    download_pdf(
        client, server.url("/pdf/2401.00001v1"), target, progress=lambda d, t: seen.append((d, t))
    )
    with pymupdf.open(target) as doc:
        assert doc.page_count == 2 and "Hello page 1" in doc[0].get_text()
    assert leftovers(target.parent) == ["2401.00001v1.pdf"]
    assert seen[-1][0] == seen[-1][1] == target.stat().st_size


def test_html_instead_of_a_pdf_is_refused_and_leaves_nothing(server, client, tmp_path):
    server.route(
        "/pdf/x",
        Reply(
            200, b"<!DOCTYPE html><html><title>Login</title></html>", {"Content-Type": "text/html"}
        ),
    )
    target = tmp_path / "dl" / "x.pdf"
    with pytest.raises(NotAPdfError) as info:
        download_pdf(client, server.url("/pdf/x"), target)
    assert "web page instead of a PDF" in str(info.value)
    assert leftovers(target.parent) == []


def test_a_truncated_pdf_is_refused(server, client, tmp_path):
    whole = make_pdf("Truncated", pages=5)
    server.route("/pdf/half", Reply(200, whole[: len(whole) // 2], PDF_HEADERS))
    target = tmp_path / "dl" / "half.pdf"
    with pytest.raises(NotAPdfError) as info:
        download_pdf(client, server.url("/pdf/half"), target)
    assert "incomplete" in str(info.value)
    assert leftovers(target.parent) == []


def test_a_connection_cut_before_the_promised_length_is_an_error(server, client, tmp_path):
    whole = make_pdf("Cut", pages=5)
    server.route("/pdf/cut", cut_short(whole[:1000], claimed=len(whole)))
    target = tmp_path / "dl" / "cut.pdf"
    with pytest.raises(OfflineError) as info:
        download_pdf(client, server.url("/pdf/cut"), target)
    assert "broke off" in str(info.value)
    assert leftovers(target.parent) == []


def test_an_endless_body_stops_at_the_cap_and_leaves_nothing(server, client, tmp_path):
    server.route("/pdf/endless", endless())
    target = tmp_path / "dl" / "endless.pdf"
    with pytest.raises(TooLargeError):
        download_pdf(client, server.url("/pdf/endless"), target, max_bytes=2 * 1024 * 1024)
    assert leftovers(target.parent) == []


def test_a_failed_download_keeps_the_previous_file(server, client, tmp_path):
    target = tmp_path / "dl" / "keep.pdf"
    target.parent.mkdir()
    target.write_bytes(make_pdf("Old"))
    server.route("/pdf/keep", Reply(404, b"gone"))
    with pytest.raises(Exception) as info:
        download_pdf(client, server.url("/pdf/keep"), target)
    assert "404" in str(info.value)
    with pymupdf.open(target) as doc:
        assert "Old page 1" in doc[0].get_text()
    assert leftovers(target.parent) == ["keep.pdf"]


def test_cancel_leaves_nothing(server, client, tmp_path):
    server.route("/pdf/endless", endless())
    cancel = threading.Event()
    target = tmp_path / "dl" / "c.pdf"

    def progress(done: int, total: int | None) -> None:
        if done > 128 * 1024:
            cancel.set()

    with pytest.raises(DownloadCancelled):
        download_pdf(client, server.url("/pdf/endless"), target, cancel=cancel, progress=progress)
    assert leftovers(target.parent) == []
