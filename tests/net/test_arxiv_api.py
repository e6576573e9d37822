"""The arXiv API parser on the real fixtures, and id_list batching against a real server."""

from __future__ import annotations

import pytest

from readerapp.net.arxiv import fetch_metadata, parse_api_response, pdf_url
from readerapp.net.errors import ArxivApiError, FetchError
from readerapp.net.http import ArxivClient
from tests.conftest import FIXTURES
from tests.net.arxiv_answers import api_feed
from tests.net.server import Reply, ScriptedServer


def test_current_format_fixture_gives_every_field():
    papers = parse_api_response(
        (FIXTURES / "arxivpy_q_testing_s0_m10_bc5a6c384fe9.xml").read_bytes()
    )
    assert len(papers) == 10
    first = papers[0]
    assert first.arxiv_id == "2202.12139" and first.version == 1
    assert first.title.startswith("Testing Deep Learning Models")
    assert first.authors == ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"]
    assert first.categories == ["cs.SE", "cs.LG"] and first.primary_category == "cs.SE"
    assert first.published == "2022-02-24T15:05:19Z" and first.year == 2022
    assert first.doi == "10.1109/ICSTW55395.2022.00035"
    assert first.journal_ref.startswith("Artificial Intelligence in Software Testing @ 2022")
    assert first.comment.startswith("Artificial Intelligence in Software Testing 2022")
    assert first.abstract.startswith("Deep Learning (DL) has revolutionized")


def test_legacy_format_fixture_unwraps_text_and_reads_old_style_ids():
    papers = parse_api_response((FIXTURES / "rsxiv_legacy-2025-08_query.xml").read_bytes())
    assert len(papers) == 10
    old = papers[1]
    assert (old.arxiv_id, old.version) == ("hep-ph/9411242", 1)
    assert "\n" not in old.title and "  " not in old.title
    assert old.title.startswith("Proton-ring and Electron-linac Collider (PRELC) as a (first) TeV")
    assert old.abstract.startswith("The use of the existing proton storage rings")
    assert "\n" not in old.abstract
    assert old.primary_category == "hep-ph" and old.comment == "4 pages, revtex"
    assert old.authors == ["Raimo Vuopionperä"]


def test_error_entry_is_an_error_never_a_paper():
    body = (FIXTURES / "arxivpy_id_abc_s0_m100_b79c8dcf6bc3.xml").read_bytes()
    with pytest.raises(ArxivApiError) as info:
        parse_api_response(body)
    assert "incorrect id format for abc" in str(info.value)


def test_junk_is_a_fetch_error_with_a_sentence():
    with pytest.raises(FetchError) as info:
        parse_api_response(b"<html><body>Service unavailable</body></html>")
    assert "could not be read" in str(info.value)


def test_api_error_with_http_400_from_the_server(server: ScriptedServer):
    body = (FIXTURES / "arxivpy_id_abc_s0_m100_b79c8dcf6bc3.xml").read_bytes()
    server.route("/api/query", Reply(400, body, {"Content-Type": "application/atom+xml"}))
    client = ArxivClient(api_url=server.url("/api/query"), min_interval=0)
    with pytest.raises(ArxivApiError):
        fetch_metadata(client, ["abc"])


def test_ids_are_asked_in_batches_of_at_most_100(server: ScriptedServer):
    ids = [f"2401.{n:05d}" for n in range(1, 251)]
    server.route("/api/query", Reply(200, api_feed(("2401.00001", 3, "First"))))
    client = ArxivClient(api_url=server.url("/api/query"), min_interval=0)
    found = fetch_metadata(client, ids)
    sizes = [len(hit.query["id_list"][0].split(",")) for hit in server.hits("/api/query")]
    assert sizes == [100, 100, 50]
    assert list(found) == ["2401.00001"] and found["2401.00001"].version == 3  # others dropped


def test_pdf_urls_are_built_from_the_id():
    client = ArxivClient(pdf_base="https://export.arxiv.org/pdf/", min_interval=0)
    assert pdf_url(client, "math/0611800", 2) == "https://export.arxiv.org/pdf/math/0611800v2"
    assert pdf_url(client, "2304.15004") == "https://export.arxiv.org/pdf/2304.15004"


def test_an_answer_that_looks_like_a_path_is_not_opened(tmp_path) -> None:
    """feedparser opens bytes that name a local file; the API answer must never be read so."""
    local = tmp_path / "local.xml"
    local.write_bytes((FIXTURES / "arxivpy_q_testing_s0_m10_bc5a6c384fe9.xml").read_bytes())
    with pytest.raises(FetchError):
        parse_api_response(str(local).encode())
