"""``readerapp search`` on a real library folder: output, JSON contract, bad input, --rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readerapp.app import open_services
from readerapp.cli import main
from readerapp.services.search import SearchService
from tests.search_helpers import attach_pdf


def run(capsys: pytest.CaptureFixture[str], home: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--home", str(home), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_hits_follow_the_contract(capsys, home) -> None:
    code, out, err = run(capsys, home, "search", "induction", "heads", "--json")
    assert code == 0, err
    hits = json.loads(out)
    assert hits, "the starter library has the induction heads paper"
    for hit in hits:
        assert {"item_id", "title", "field", "snippet"} <= set(hit)
        assert isinstance(hit["item_id"], int)
    assert hits[0]["title"] == "In-context Learning and Induction Heads"
    assert hits[0]["field"] == "title"
    assert "**Induction** **Heads**" in hits[0]["marked"]


def test_the_starter_pdf_is_read_on_first_search_and_hits_name_the_page(capsys, home) -> None:
    code, out, err = run(capsys, home, "search", "scroll", "continuously")
    assert code == 0, err
    assert "Getting started with readerapp" in out
    assert "page 3: " in out and "[scroll] [continuously]" in out


def test_a_new_pdf_added_by_another_command_is_found(capsys, home) -> None:
    services = open_services(str(home))
    try:
        item = services.library.find_by_arxiv_id("2209.11895") or services.library.items()[0]
        search = SearchService(services.db, services.files)
        search.set_dispatcher(lambda item_id: None)  # as if the app quit before reading it
        attach_pdf(services, search, item, ["", "the capybara appendix"])
    finally:
        services.close()
    code, out, err = run(capsys, home, "search", "capybara", "--json")
    assert code == 0, err
    (hit,) = json.loads(out)
    assert (hit["item_id"], hit["field"], hit["page"]) == (item.id, "pdf", 2)


@pytest.mark.parametrize("query", ['"', "NEAR(", "AND", "*", "col:", "😀", "-"])
def test_hostile_queries_exit_cleanly(capsys, home, query) -> None:
    code, out, err = run(capsys, home, "search", query)
    assert code == 0
    assert err == ""
    assert out.startswith("Nothing matches")


def test_a_bad_filter_is_one_sentence_and_exit_2(capsys, home) -> None:
    code, out, err = run(capsys, home, "search", "status:later")
    assert code == 2
    assert out == ""
    assert err.startswith("readerapp: “status:later” is not a status")
    assert "Traceback" not in err
    code, _, err = run(capsys, home, "search", "topic:Alchemy", "--json")
    assert code == 2 and "There is no topic “Alchemy”" in err


def test_an_empty_query_asks_for_words(capsys, home) -> None:
    code, _, err = run(capsys, home, "search")
    assert code == 2
    assert err == "readerapp: Say what to search for, e.g. `readerapp search induction heads`.\n"


def test_rebuild_reports_and_keeps_results(capsys, home) -> None:
    _, before, _ = run(capsys, home, "search", "transformer", "--json")
    code, out, err = run(capsys, home, "search", "--rebuild")
    assert code == 0, err
    assert out == "Search index rebuilt; 1 of 1 PDFs have searchable text.\n"
    _, after, _ = run(capsys, home, "search", "transformer", "--json")
    assert json.loads(after) == json.loads(before) != []
