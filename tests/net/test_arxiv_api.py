"""The arXiv API parser on answers in both of its formats, and id_list batching against a real
server."""

from __future__ import annotations

import pytest

from readerapp.net.arxiv import fetch_metadata, parse_api_response, pdf_url
from readerapp.net.errors import ArxivApiError, FetchError
from readerapp.net.http import ArxivClient
from tests.feed_samples import feed_bytes
from tests.net.arxiv_answers import api_feed
from tests.net.server import Reply, ScriptedServer


def test_current_format_answer_gives_every_field():
    papers = parse_api_response(feed_bytes("arxiv-api.xml"))
    assert len(papers) == 4
    first = papers[0]
    assert first.arxiv_id == "2511.02718" and first.version == 2
    assert first.title.startswith("Probing Classifiers Overstate What Language Models Encode")
    assert first.authors == ["Hélène Marchand", "Oskar Lindqvist", "Priya Raghunathan"]
    assert first.categories == ["cs.CL", "cs.LG"] and first.primary_category == "cs.CL"
    assert first.published == "2025-11-04T17:45:10Z" and first.year == 2025
    assert first.doi == "10.5555/anm.2026.0009"
    assert first.journal_ref.startswith("Findings of the Workshop on Analysing Neural Models")
    assert first.comment.startswith("Findings of the Workshop on Analysing Neural Models 2026;")
    assert first.abstract.startswith("Probing classifiers are the usual way")
    second = papers[1]  # no comment, journal reference or DOI: empty, not missing
    assert (second.comment, second.journal_ref, second.doi) == ("", "", "")
    assert second.primary_category == "cs.CL" and second.categories == ["cs.LG", "cs.AI", "cs.CL"]


def test_legacy_format_answer_unwraps_text_and_reads_old_style_ids():
    papers = parse_api_response(feed_bytes("arxiv-api-legacy.xml"))
    assert len(papers) == 4
    old = papers[1]
    assert (old.arxiv_id, old.version) == ("hep-th/9812045", 1)
    assert "\n" not in old.title and "  " not in old.title
    assert old.title == (
        "Boundary Conditions for the Open XXZ Spin Chain and a (second) Look at its Bethe Ansatz"
    )
    assert old.abstract.startswith("We revisit the open XXZ chain with non-diagonal boundary")
    assert "\n" not in old.abstract
    assert old.primary_category == "hep-th" and old.comment == "11 pages, LaTeX"
    assert old.authors == ["Václav Hrdlička"]
    assert (papers[2].arxiv_id, papers[2].version) == ("cond-mat/0307131", 3)
    assert papers[2].doi == "10.5555/prb.2004.0719"


def test_error_entry_is_an_error_never_a_paper():
    with pytest.raises(ArxivApiError) as info:
        parse_api_response(feed_bytes("arxiv-api-error.xml"))
    assert "incorrect id format for 2611.x42" in str(info.value)


def test_an_answer_with_no_results_is_no_papers_not_an_error():
    assert parse_api_response(feed_bytes("arxiv-api-empty.xml")) == []


def test_junk_is_a_fetch_error_with_a_sentence():
    with pytest.raises(FetchError) as info:
        parse_api_response(b"<html><body>Service unavailable</body></html>")
    assert "could not be read" in str(info.value)


def test_api_error_with_http_400_from_the_server(server: ScriptedServer):
    body = feed_bytes("arxiv-api-error.xml")
    server.route("/api/query", Reply(400, body, {"Content-Type": "application/atom+xml"}))
    client = ArxivClient(api_url=server.url("/api/query"), min_interval=0)
    with pytest.raises(ArxivApiError):
        fetch_metadata(client, ["2611.x42"])


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
    local.write_bytes(feed_bytes("arxiv-api.xml"))
    with pytest.raises(FetchError):
        parse_api_response(str(local).encode())
