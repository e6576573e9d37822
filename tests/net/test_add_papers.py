"""Adding papers and web pages end to end: CLI and PaperService against a real local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pymupdf
import pytest

from readerapp.app import Services, open_services
from readerapp.cli import main
from readerapp.core.errors import UserError
from tests.net.arxiv_answers import api_feed, make_pdf
from tests.net.server import Reply, ScriptedServer

ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
PDF = {"Content-Type": "application/pdf"}
MIRAGE = ("2405.01234", 2, "Are Emergent Abilities a Mirage?")


@pytest.fixture
def arxiv(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> ScriptedServer:
    """The server stands in for arXiv: API at /api/query, PDFs under /pdf/."""
    monkeypatch.setenv("READERAPP_ARXIV_API", server.url("/api/query"))
    monkeypatch.setenv("READERAPP_ARXIV_PDF", server.url("/pdf/"))
    return server


@contextmanager
def opened(home: Path) -> Iterator[Services]:
    s = open_services(str(home))
    try:
        yield s
    finally:
        s.close()


def run(capsys, home: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--home", str(home), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def age_pending(home: Path) -> None:
    """Move pending work's last try back in time, as if the retry delay had passed."""
    with opened(home) as s, s.db.transaction() as conn:
        conn.execute("UPDATE fetch_pending SET last_attempt = '2000-01-01T00:00:00Z'")


def listed(capsys, home: Path) -> list[dict]:
    code, out, _ = run(capsys, home, "list", "--json")
    assert code == 0
    return json.loads(out)


def arxiv_items(capsys, home: Path) -> list[dict]:
    return [i for i in listed(capsys, home) if i["arxiv_id"] == "2405.01234"]


def test_add_by_id_fetches_metadata_and_the_pdf(arxiv, home, capsys):
    arxiv.route("/api/query", Reply(200, api_feed(MIRAGE), ATOM))
    arxiv.route("/pdf/2405.01234v2", Reply(200, make_pdf("Mirage v2"), PDF))
    code, out, err = run(capsys, home, "add", "arXiv:2405.01234", "--topic", "Research focus")
    assert code == 0, err
    assert "Added" in out and "Are Emergent Abilities a Mirage?" in out and "v2" in out
    [item] = arxiv_items(capsys, home)
    assert item["version"] == 2 and item["has_pdf"] is True
    assert item["authors"] == ["Ada Lovelace", "Alan Turing"]
    assert item["topics"] == ["Research focus"]
    assert arxiv.hits("/api/query")[0].query["id_list"] == ["2405.01234"]
    with opened(home) as s:
        paper = s.library.find_by_arxiv_id("2405.01234")
        assert paper.primary_category == "cs.CL" and paper.comment == "12 pages"
        assert paper.latest_version == 2 and not paper.new_version_available
        with pymupdf.open(s.files.absolute(paper.pdf_path)) as doc:
            assert "Mirage v2 page 1" in doc[0].get_text()


def test_adding_an_existing_paper_in_any_form_finds_the_same_item(arxiv, home, capsys):
    arxiv.route("/api/query", Reply(200, api_feed(MIRAGE), ATOM))
    assert run(capsys, home, "add", "2405.01234v2", "--no-download")[0] == 0
    for form in (
        "https://arxiv.org/abs/2405.01234",
        "https://export.arxiv.org/pdf/2405.01234v1.pdf",
        "oai:arXiv.org:2405.01234v2",
    ):
        code, out, _ = run(capsys, home, "add", form, "--no-download")
        assert code == 0 and out.startswith("Already in your library")
    assert len(arxiv_items(capsys, home)) == 1
    assert len(arxiv.hits("/api/query")) == 1  # found locally: no network for duplicates


def test_offline_add_keeps_the_item_and_fills_it_when_arxiv_is_back(
    server, home, capsys, monkeypatch
):
    # The conftest points arXiv at an unroutable port: this is "offline".
    code, out, err = run(capsys, home, "add", "2405.01234")
    assert code == 0, err
    assert "will be fetched when arXiv can be reached" in out
    [item] = arxiv_items(capsys, home)
    assert item["title"] == "arXiv:2405.01234" and item["has_pdf"] is False
    # The network is back: the next command fills it in.
    monkeypatch.setenv("READERAPP_ARXIV_API", server.url("/api/query"))
    monkeypatch.setenv("READERAPP_ARXIV_PDF", server.url("/pdf/"))
    server.route("/api/query", Reply(200, api_feed(MIRAGE), ATOM))
    server.route("/pdf/2405.01234v2", Reply(200, make_pdf("Mirage"), PDF))
    code, out, _ = run(capsys, home, "add", "arxiv.org/abs/2405.01234")
    assert code == 0 and "Already in your library" in out
    [item] = arxiv_items(capsys, home)
    assert item["title"] == "Are Emergent Abilities a Mirage?"
    assert item["version"] == 2 and item["has_pdf"] is True
    with opened(home) as s:
        assert s.papers.state.pending() == []


def test_an_unknown_id_is_refused_and_nothing_is_added(arxiv, home, capsys):
    arxiv.route("/api/query", Reply(200, api_feed(), ATOM))
    code, _, err = run(capsys, home, "add", "2501.99999")
    assert code == 2 and "arXiv has no paper with the id 2501.99999" in err
    assert arxiv_items(capsys, home) == []


def test_not_an_id_nor_a_url_is_bad_input(home, capsys):
    code, _, err = run(capsys, home, "add", "not a paper")
    assert code == 2 and "is not an arXiv id" in err and "Traceback" not in err


def test_html_instead_of_the_pdf_keeps_the_item_and_says_why(arxiv, home, capsys):
    arxiv.route("/api/query", Reply(200, api_feed(MIRAGE), ATOM))
    arxiv.route(
        "/pdf/2405.01234v2",
        Reply(200, b"<html><title>Captcha</title></html>", {"Content-Type": "text/html"}),
    )
    code, out, err = run(capsys, home, "add", "2405.01234")
    assert code == 1
    assert "Added" in out and "web page instead of a PDF" in err
    [item] = arxiv_items(capsys, home)
    assert item["has_pdf"] is False
    with opened(home) as s:
        assert list((s.paths.files / "arxiv").iterdir()) == []
        [pending] = s.papers.state.pending()
        assert pending.need_pdf and "web page" in pending.last_error


def test_403_stops_arxiv_traffic_with_a_sentence(arxiv, home, capsys):
    arxiv.route("/api/query", Reply(403, b"Forbidden"))
    code, out, err = run(capsys, home, "add", "2405.01234")
    assert code == 0  # the item is kept; fetching waits
    assert "stopped contacting arXiv" in out
    assert len(arxiv.hits("/api/query")) == 1 and arxiv.hits("/pdf/2405.01234") == []
    # The next run (a new process) still leaves arXiv alone for a while.
    code, out, err = run(capsys, home, "add", "2405.09999")
    assert code == 0 and "does not contact arXiv until" in out + err
    assert len(arxiv.hits("/api/query")) == 1


def test_a_new_version_appears_and_update_keeps_the_old_pdf_and_moves_highlights(arxiv, home):
    arxiv.route("/api/query", Reply(200, api_feed(("2405.01234", 1, "Mirage")), ATOM))
    arxiv.route("/pdf/2405.01234v1", Reply(200, make_pdf("First draft"), PDF))
    arxiv.route("/pdf/2405.01234v2", Reply(200, make_pdf("Second draft"), PDF))
    with opened(home) as s:
        outcome = s.papers.add("2405.01234")
        item = outcome.item
        assert (item.version, item.has_pdf) == (1, True)
        assert s.papers.check_versions() == []
        arxiv.route("/api/query", Reply(200, api_feed(("2405.01234", 2, "Mirage, revised")), ATOM))
        assert s.papers.check_versions() == [item.id]
        checked = s.library.item(item.id)
        assert checked.new_version_available and checked.latest_version == 2
        assert checked.title == "Mirage"  # metadata follows the PDF, not the check
        assert [r.new_version for r in s.library.item_rows() if r.id == item.id] == [2]
        assert s.papers.library.get_state("arxiv.last_version_check")

        reanchored: list[tuple[int, Path]] = []
        s.papers.reanchor = lambda item_id, path: reanchored.append((item_id, Path(path)))
        updated = s.papers.update_to_latest(item.id)
        assert (updated.version, updated.title, updated.new_version_available) == (
            2,
            "Mirage, revised",
            False,
        )
        with pymupdf.open(s.files.absolute(updated.pdf_path)) as doc:
            assert "Second draft" in doc[0].get_text()
        [old] = s.papers.state.versions(item.id)
        assert (old.version, old.title) == (1, "Mirage")
        with pymupdf.open(s.files.absolute(old.pdf_path)) as doc:
            assert "First draft" in doc[0].get_text()
        assert reanchored == [(item.id, s.files.absolute(updated.pdf_path))]


def test_a_web_page_becomes_a_web_item_titled_from_the_page(server, home, capsys):
    page = b"<html><head><title>  Scaling   Monosemanticity </title></head><body>x</body></html>"
    server.route("/post", Reply(200, page, {"Content-Type": "text/html; charset=utf-8"}))
    code, out, _ = run(capsys, home, "add", server.url("/post"), "--topic", "Research focus")
    assert code == 0 and "Scaling Monosemanticity" in out
    item = next(i for i in listed(capsys, home) if i["url"] == server.url("/post"))
    assert item["title"] == "Scaling Monosemanticity" and item["kind"] == "web"
    assert item["has_pdf"] is False
    code, out, _ = run(capsys, home, "add", server.url("/post"))
    assert out.startswith("Already in your library")


def test_a_url_serving_a_pdf_gets_it_attached(server, home, capsys):
    server.route("/paper.pdf", Reply(200, make_pdf("Workshop paper"), PDF))
    code, out, err = run(capsys, home, "add", server.url("/paper.pdf"))
    assert code == 0, err
    item = next(i for i in listed(capsys, home) if i["url"] == server.url("/paper.pdf"))
    assert item["has_pdf"] is True and item["title"] == "Workshop paper"
    with opened(home) as s:
        path = s.files.absolute(s.library.item(item["id"]).pdf_path)
        with pymupdf.open(path) as doc:
            assert "Workshop paper page 1" in doc[0].get_text()
        assert list((s.paths.files / ".incoming").iterdir()) == []


def test_an_unreachable_web_page_is_added_and_titled_later(home, capsys):
    code, out, _ = run(capsys, home, "add", "http://127.0.0.1:9/notes/attention.html")
    assert code == 0 and "title will be fetched later" in out
    item = next(i for i in listed(capsys, home) if "127.0.0.1:9" in i["url"])
    assert item["title"] == "attention.html (127.0.0.1)"


def test_adding_a_trashed_paper_brings_it_back(arxiv, home, capsys):
    arxiv.route("/api/query", Reply(200, api_feed(MIRAGE), ATOM))
    run(capsys, home, "add", "2405.01234", "--no-download")
    with opened(home) as s:
        s.library.trash_items([s.library.find_by_arxiv_id("2405.01234").id])
    assert arxiv_items(capsys, home) == []
    code, out, _ = run(capsys, home, "add", "2405.01234v1", "--no-download")
    assert code == 0 and "Already in your library" in out and "restored" in out
    assert len(arxiv_items(capsys, home)) == 1


def test_bad_input_is_refused_before_pending_work_touches_the_network(server, home, capsys):
    run(capsys, home, "add", "2405.01234")  # offline: pending
    code, _, err = run(capsys, home, "add", "definitely not an id")
    assert code == 2 and "could not reach" not in err


def test_a_site_that_refuses_bots_still_gets_its_link_added(server, home, capsys):
    server.route("/thread", Reply(403, b"<html><title>Just a moment</title></html>"))
    code, out, _ = run(capsys, home, "add", server.url("/thread"))
    assert code == 0 and "HTTP 403" in out and "title made from its address" in out
    item = next(i for i in listed(capsys, home) if i["url"] == server.url("/thread"))
    assert item["title"] == "thread (127.0.0.1)"
    with opened(home) as s:
        assert s.papers.state.pending() == []  # a refusal is not retried forever


def test_update_moves_real_highlights_to_where_the_quote_is_in_the_new_version(
    arxiv, home, tmp_path
):
    from tests.annotation_helpers import PAGE_ONE, PAGE_TWO, line_rects
    from tests.annotation_helpers import make_pdf as make_lines_pdf

    v1 = make_lines_pdf(tmp_path / "v1.pdf", [PAGE_ONE, PAGE_TWO])
    v2 = make_lines_pdf(tmp_path / "v2.pdf", [["A new first page."], PAGE_ONE, PAGE_TWO])
    arxiv.route("/api/query", Reply(200, api_feed(("2405.01234", 1, "Sparse")), ATOM))
    arxiv.route("/pdf/2405.01234v1", Reply(200, v1.read_bytes(), PDF))
    arxiv.route("/pdf/2405.01234v2", Reply(200, v2.read_bytes(), PDF))
    with opened(home) as s:
        item = s.papers.add("2405.01234").item
        quote = "cost of training"
        held = s.files.absolute(item.pdf_path)
        ann = s.annotations.create_text(item.id, 1, line_rects(held, 1, quote), quote)
        assert ann.page == 2
        arxiv.route("/api/query", Reply(200, api_feed(("2405.01234", 2, "Sparse")), ATOM))
        assert s.papers.check_versions() == [item.id]
        s.papers.update_to_latest(item.id)
        [moved] = s.annotations.annotations(item.id)
        assert moved.page == 3 and moved.quote == quote and not moved.detached


def test_a_page_title_is_decoded_with_the_charset_the_server_names(server, home, capsys):
    page = "<html><head><title>Café &amp; Crème: notes</title></head></html>".encode("latin-1")
    server.route("/latin", Reply(200, page, {"Content-Type": "text/html; charset=ISO-8859-1"}))
    code, out, _ = run(capsys, home, "add", server.url("/latin"))
    assert code == 0 and "Café & Crème: notes" in out


def test_updating_a_paper_already_at_the_latest_version_says_so(arxiv, home):
    arxiv.route("/api/query", Reply(200, api_feed(("2405.01234", 1, "Mirage")), ATOM))
    arxiv.route("/pdf/2405.01234v1", Reply(200, make_pdf("One"), PDF))
    with opened(home) as s:
        item = s.papers.add("2405.01234").item
        with pytest.raises(UserError) as info:
            s.papers.update_to_latest(item.id)
        assert "already at the latest version, v1" in str(info.value)
        assert s.papers.state.versions(item.id) == []
        assert len(arxiv.hits("/pdf/2405.01234v1")) == 1


def test_a_starter_pdf_of_unknown_version_stays_reachable_after_an_update(arxiv, home):
    arxiv.route("/api/query", Reply(200, api_feed(("1706.03762", 7, "Attention")), ATOM))
    arxiv.route("/pdf/1706.03762v7", Reply(200, make_pdf("Seven"), PDF))
    with opened(home) as s:
        starter = s.library.find_by_arxiv_id("1706.03762")
        relative = "arxiv/1706.03762.pdf"
        s.files.store_bytes(make_pdf("Old copy"), relative)
        s.library.update_item(starter.id, pdf_path=relative)
        updated = s.papers.update_to_latest(starter.id)
        assert updated.version == 7 and updated.pdf_path != relative
        [old] = s.papers.state.versions(starter.id)
        assert (old.version, old.pdf_path) == (0, relative)
        assert s.files.absolute(relative).exists()


def test_adding_a_starter_paper_again_fetches_its_details_and_pdf(arxiv, home, capsys):
    arxiv.route(
        "/api/query", Reply(200, api_feed(("1706.03762", 7, "Attention Is All You Need")), ATOM)
    )
    arxiv.route("/pdf/1706.03762v7", Reply(200, make_pdf("Attention"), PDF))
    code, out, err = run(capsys, home, "add", "https://arxiv.org/abs/1706.03762")
    assert code == 0, err
    assert "Already in your library" in out and "with its PDF" in out
    item = next(i for i in listed(capsys, home) if i["arxiv_id"] == "1706.03762")
    assert item["version"] == 7 and item["has_pdf"] is True
    assert item["authors"] == ["Ada Lovelace", "Alan Turing"]  # arXiv's metadata filled in
    code, out, _ = run(capsys, home, "add", "1706.03762", "--no-download")
    assert code == 0 and len(arxiv.hits("/pdf/1706.03762v7")) == 1


def test_an_id_arxiv_never_heard_of_stops_being_retried(server, home, capsys, monkeypatch):
    run(capsys, home, "add", "2405.77777", "--no-download")  # offline: pending
    monkeypatch.setenv("READERAPP_ARXIV_API", server.url("/api/query"))
    server.route("/api/query", Reply(200, api_feed(), ATOM))  # arXiv answers: no such paper
    for _ in range(4):
        run(capsys, home, "list")  # (list does not retry; add does)
        age_pending(home)  # the retry delay has passed
        run(capsys, home, "add", "https://example.invalid/x", "--no-download")
    assert len(server.hits("/api/query")) == 3
    item = next(i for i in listed(capsys, home) if i["arxiv_id"] == "2405.77777")
    assert item["title"] == "arXiv:2405.77777"  # kept, never deleted


def test_pending_metadata_is_asked_for_once_per_run_and_its_failure_said_once(
    server, home, capsys, monkeypatch
):
    monkeypatch.setenv("READERAPP_ARXIV_API", server.url("/api/query"))
    server.route("/api/query", Reply(500, b"down"))
    code, out, err = run(capsys, home, "add", "2405.01234", "--no-download")
    assert "had a problem" in out + err  # said once, by the add that met it
    server.route("/api/query", Reply(200, api_feed(("2405.05678", 1, "Second")), ATOM))
    code, out, err = run(capsys, home, "add", "2405.05678", "--no-download")
    assert code == 0 and "had a problem" not in out + err
    asked = [r.query["id_list"][0] for r in server.hits("/api/query")]
    assert asked == ["2405.01234", "2405.05678"]  # the pending paper was not asked for again
    age_pending(home)
    server.route("/api/query", Reply(200, api_feed(("2405.01234", 3, "First")), ATOM))
    code, out, err = run(capsys, home, "add", "2405.05678", "--no-download")  # already here
    asked = [r.query["id_list"][0] for r in server.hits("/api/query")]
    assert asked[2:] == ["2405.01234"]  # once due, the pending paper is fetched, once
    first = next(i for i in listed(capsys, home) if i["arxiv_id"] == "2405.01234")
    assert first["title"] == "First"
