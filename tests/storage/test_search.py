"""Search over a real SQLite library: ranking, syntax, filters, hostile input, an index kept true."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readerapp.app import Services
from readerapp.core.models import Status
from readerapp.services.search import SearchService
from readerapp.storage.pdf_text import (
    PDF_TEXT_INDEXED,
    PDF_TEXT_NO_LAYER,
    PDF_TEXT_PENDING,
    PDF_TEXT_UNREADABLE,
)
from readerapp.storage.search import MARK_CLOSE, MARK_OPEN
from tests.search_helpers import attach_pdf, ids, pdf_bytes


@pytest.fixture
def search(empty_services: Services) -> Iterator[SearchService]:
    yield SearchService(empty_services.db, empty_services.files)


@pytest.fixture
def lib(empty_services: Services, search: SearchService) -> dict[str, int]:
    """A small library with known words in known places; returns item ids by nickname."""
    library = empty_services.library
    research = library.ensure_topic("Research focus")
    interp = library.ensure_topic("Research focus/Interpretability")
    circuits = library.ensure_topic("Research focus/Interpretability/Circuits")
    scaling = library.ensure_topic("Research focus/Scaling Laws")
    add = library.add_item
    items = {
        "induction": add(
            "In-context Learning and Induction Heads",
            [circuits.id],
            authors=["Catherine Olsson", "Nelson Elhage"],
            year=2022,
            abstract="Induction heads may be the mechanism behind in-context learning.",
            status=Status.READING,
        ),
        "scaling": add(
            "Scaling Laws for Neural Language Models",
            [scaling.id],
            authors=["Jared Kaplan", "Sam McCandlish"],
            year=2020,
            abstract="Loss scales as a power law with model size, data and compute.",
        ),
        "attention": add(
            "Attention Is All You Need",
            [research.id],
            authors=["Ashish Vaswani", "Bernhard Schölkopf"],
            year=2017,
            abstract="The Transformers architecture relies on attention alone.",
            notes="Read the section on heads again; compare with induction heads.",
            status=Status.READ,
        ),
        "monosemantic": add(
            "Towards Monosemanticity",
            [interp.id],
            authors=["Trenton Bricken", "Chris Olah"],
            year=2023,
            abstract="Sparse autoencoders find interpretable features; heads are not the unit.",
        ),
        "blog": add("A blog post about nothing in particular", [], year=2023),
    }
    return {name: item.id for name, item in items.items()}


def add_annotation(
    services: Services, item_id: int, page: int, quote: str, comment: str = ""
) -> int:
    with services.db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO annotations(item_id, kind, page, color, quote, comment) "
            "VALUES (?, 'highlight', ?, '#ffd400', ?, ?)",
            (item_id, page, quote, comment),
        )
    return int(cur.lastrowid or 0)


# ---- ranking, prefixes, phrases ----------------------------------------------------------------
def test_a_title_match_outranks_an_abstract_and_a_note_match(search, lib) -> None:
    results = search.search("induction")
    assert ids(results)[0] == lib["induction"]
    assert set(ids(results)) == {lib["induction"], lib["attention"]}
    first = results.items[0]
    assert first.hits[0].field == "title"
    assert f"{MARK_OPEN}Induction{MARK_CLOSE}" in first.hits[0].snippet
    assert {h.field for h in first.hits} == {"title", "abstract"}
    assert [h.field for h in results.items[1].hits] == ["notes"]


def test_words_are_anded_and_stemmed_and_diacritics_ignored(search, lib) -> None:
    assert ids(search.search("heads mechanism")) == [lib["induction"]]
    assert ids(search.search("transformer")) == [lib["attention"]]  # "Transformers" in text
    assert ids(search.search("scholkopf")) == [lib["attention"]]
    assert ids(search.search("SCHÖLKOPF")) == [lib["attention"]]


def test_prefix_matching_explicit_and_as_you_type(search, lib) -> None:
    assert ids(search.search("monosem*")) == [lib["monosemantic"]]
    assert ids(search.search("monosem")) == []
    assert ids(search.search("monosem", prefix_last=True)) == [lib["monosemantic"]]
    # Only the word being typed is a prefix; a finished word (space after it) is not.
    assert ids(search.search("monosem ", prefix_last=True)) == []


def test_phrase_search_needs_the_words_together(search, lib) -> None:
    assert set(ids(search.search("induction heads"))) == {lib["induction"], lib["attention"]}
    assert set(ids(search.search('"induction heads"'))) == {lib["induction"], lib["attention"]}
    assert ids(search.search('"heads induction"')) == []
    assert ids(search.search('"power law"')) == [lib["scaling"]]


def test_or_and_exclusion(search, lib) -> None:
    assert set(ids(search.search("monosemanticity OR kaplan"))) == {
        lib["monosemantic"],
        lib["scaling"],
    }
    assert set(ids(search.search("heads -olsson"))) == {lib["attention"], lib["monosemantic"]}
    assert lib["induction"] not in ids(search.search("heads NOT olsson"))


# ---- filters -----------------------------------------------------------------------------------
def test_author_filter_matches_a_name_not_other_fields(search, lib) -> None:
    assert ids(search.search("author:olsson")) == [lib["induction"]]
    assert ids(search.search("author:OLAH")) == [lib["monosemantic"]]
    assert ids(search.search("author:induction")) == []
    assert ids(search.search('author:"Catherine Olsson" heads')) == [lib["induction"]]
    assert ids(search.search("author:olss", prefix_last=True)) == [lib["induction"]]


def test_topic_filter_by_name_or_path_includes_subtopics(search, lib) -> None:
    by_name = set(ids(search.search("topic:Interpretability")))
    assert by_name == {lib["induction"], lib["monosemantic"]}  # Circuits is a subtopic
    assert set(ids(search.search('topic:"Research focus/Interpretability"'))) == by_name
    assert ids(search.search("topic:circuits")) == [lib["induction"]]
    assert set(ids(search.search("heads topic:interpretability"))) == by_name
    either = search.search('topic:Circuits topic:"scaling laws"')
    assert set(ids(either)) == {lib["induction"], lib["scaling"]}
    results = search.search("topic:Alchemy")
    assert results.items == []
    assert results.problems == ["There is no topic “Alchemy”; `readerapp topics` lists them."]


def test_status_has_and_year_filters(search, empty_services, lib) -> None:
    assert ids(search.search("status:reading")) == [lib["induction"]]
    assert ids(search.search("status:read heads")) == [lib["attention"]]
    assert set(ids(search.search("status:to-read"))) == {
        lib["scaling"],
        lib["monosemantic"],
        lib["blog"],
    }
    assert set(ids(search.search("-status:to-read"))) == {lib["induction"], lib["attention"]}
    assert ids(search.search("year:2020")) == [lib["scaling"]]
    assert set(ids(search.search("year:2020-2022"))) == {lib["scaling"], lib["induction"]}
    assert set(ids(search.search("year:>2022"))) == {lib["monosemantic"], lib["blog"]}
    assert ids(search.search("has:notes")) == [lib["attention"]]
    assert ids(search.search("has:pdf")) == []
    item = empty_services.library.item(lib["scaling"])
    attach_pdf(empty_services, search, item, ["Compute optimal training."])
    assert ids(search.search("has:pdf")) == [lib["scaling"]]
    assert ids(search.search("has:pdf compute")) == [lib["scaling"]]
    add_annotation(empty_services, lib["blog"], 1, "nothing")
    assert ids(search.search("has:highlights")) == [lib["blog"]]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("status:later", "“status:later” is not a status"),
        ("has:wings", "“has:wings” is not something an item can have"),
        ("year:last", "“year:last” is not a year"),
    ],
)
def test_an_unusable_filter_value_is_a_sentence_not_an_error(search, lib, query, problem) -> None:
    results = search.search(query)
    assert results.items == []
    assert len(results.problems) == 1 and results.problems[0].startswith(problem)


def test_trashed_items_are_not_found_until_restored(search, empty_services, lib) -> None:
    empty_services.library.trash_items([lib["induction"]])
    assert ids(search.search("olsson")) == []
    empty_services.library.restore_items([lib["induction"]])
    assert ids(search.search("olsson")) == [lib["induction"]]


# ---- hostile input -----------------------------------------------------------------------------
HOSTILE = [
    '"',
    '""',
    "AND",
    "OR",
    "NOT",
    "*",
    "**",
    "NEAR(",
    "NEAR(heads",
    "col:",
    "title:",
    ":",
    "-",
    "--",
    "^",
    "(",
    ")",
    "{title}: heads",
    "heads AND",
    "OR heads",
    "heads OR",
    '"unterminated phrase',
    'author:"',
    "year:",
    "topic:",
    "'",
    "\\",
    "\x00",
    "heads\x00induction",
    "😀",
    "日本語の論文",
    "heads*" * 200,
    "a" * 5000,
    "x:y:z",
    "-author:",
    "\u202eheads",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_any_query_text_is_safe(search, lib, query) -> None:
    results = search.search(query)
    typed = search.search(query, prefix_last=True)
    assert results.problems == [] and typed.problems == []
    for result in results.items + typed.items:
        assert result.item_id in lib.values()


def test_hostile_queries_still_find_their_words(search, lib) -> None:
    assert ids(search.search("NEAR(heads")) == ids(search.search("near heads"))
    assert ids(search.search("{title}: heads")) == ids(search.search("title heads"))
    assert lib["induction"] in ids(search.search("{heads}: induction"))
    assert lib["induction"] in ids(search.search('"induction heads'))
    assert lib["induction"] in ids(search.search("heads AND induction"))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60), st.booleans())
def test_random_text_never_raises(search, lib, text, typing) -> None:
    results = search.search(text, prefix_last=typing)
    assert all(r.item_id in lib.values() for r in results.items)


# ---- PDF text and highlights -------------------------------------------------------------------
def test_pdf_page_hits_carry_their_page(search, empty_services, lib) -> None:
    item = empty_services.library.item(lib["blog"])
    attach_pdf(
        empty_services,
        search,
        item,
        ["An introduction.", "Nothing here.", "The zebrafish experiment on page three."],
    )
    results = search.search("zebrafish")
    assert ids(results) == [lib["blog"]]
    (hit,) = results.items[0].hits
    assert (hit.field, hit.page) == ("pdf", 3)
    assert f"{MARK_OPEN}zebrafish{MARK_CLOSE}" in hit.snippet
    assert hit.text("[", "]").startswith("The [zebrafish] experiment")
    assert results.items[0].pdf_text == PDF_TEXT_INDEXED


def test_highlight_and_comment_hits_carry_annotation_and_page(search, empty_services, lib) -> None:
    quote_id = add_annotation(empty_services, lib["scaling"], 4, "the okapi result holds")
    comment_id = add_annotation(empty_services, lib["scaling"], 6, "plain words", "okapi again?")
    (result,) = search.search("okapi").items
    assert result.item_id == lib["scaling"]
    found = {(h.field, h.page, h.annotation_id) for h in result.hits}
    assert found == {("highlight", 4, quote_id), ("comment", 6, comment_id)}


def test_a_pdf_without_text_layer_is_found_by_metadata_and_says_so(
    search, empty_services, lib
) -> None:
    item = empty_services.library.item(lib["monosemantic"])
    attach_pdf(empty_services, search, item, ["scanned words", "more"], text_layer=False)
    (result,) = search.search("monosemanticity").items
    assert result.pdf_text == PDF_TEXT_NO_LAYER
    assert result.pdf_note == (
        "This PDF has no text layer; it is found by its details and notes only."
    )
    assert search.search("scanned").items == []
    assert search.summary().no_text_layer == 1


def test_a_damaged_pdf_is_recorded_with_a_sentence(search, empty_services, lib) -> None:
    empty_services.files.store_bytes(b"%PDF-1.7\n garbage garbage", "items/bad.pdf")
    empty_services.library.update_item(lib["blog"], pdf_path="items/bad.pdf")
    outcome = search.index_item(lib["blog"])
    assert outcome.status == PDF_TEXT_UNREADABLE
    assert "damaged" in (outcome.error or "")
    assert search.search("blog").items[0].pdf_text == PDF_TEXT_UNREADABLE
    assert search.pending() == []  # not retried on every start-up


def test_a_new_version_forgets_the_old_text_at_once_and_reindexes(
    search, empty_services, lib
) -> None:
    item = empty_services.library.item(lib["induction"])
    attach_pdf(empty_services, search, item, ["version one says quagga"], name="arxiv/x-v1.pdf")
    assert ids(search.search("quagga")) == [lib["induction"]]
    search.set_dispatcher(lambda item_id: None)  # the new file is not read yet
    attach_pdf(empty_services, search, item, ["version two says narwhal"], name="arxiv/x-v2.pdf")
    assert search.search("quagga").items == []
    assert search.search("narwhal").items == []
    assert search.pending() == [lib["induction"]]
    assert search.search("olsson").items[0].pdf_text == PDF_TEXT_PENDING
    search.pdf_text.index_pending()
    assert ids(search.search("narwhal")) == [lib["induction"]]


def test_a_file_replaced_in_place_is_read_again(search, empty_services, lib) -> None:
    item = empty_services.library.item(lib["scaling"])
    relative = attach_pdf(empty_services, search, item, ["first download: wombat"])
    search.set_dispatcher(lambda item_id: None)
    path = empty_services.files.absolute(relative)
    before = path.stat().st_mtime_ns
    attach_pdf(empty_services, search, item, ["second download: platypus"])
    if path.stat().st_mtime_ns == before:  # coarse clocks: make the change visible
        import os

        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))
    assert search.pending() == [lib["scaling"]]
    search.pdf_text.index_pending()
    assert search.search("wombat").items == []
    assert ids(search.search("platypus")) == [lib["scaling"]]


# ---- the index stays true ----------------------------------------------------------------------
def _integrity_check(conn: sqlite3.Connection) -> None:
    for table in ("search_items", "search_pages", "search_annotations"):
        # rank = 1 also compares the index with the content table (raises if they differ)
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")


WORDS = [f"marker{n}x" for n in range(12)]


def test_the_index_matches_the_library_after_a_mixed_sequence(search, empty_services) -> None:
    """Random adds, edits, deletes, notes, highlights and PDFs; search agrees with a model."""
    rng = random.Random(8)
    library = empty_services.library
    conn = empty_services.db.conn
    model: dict[int, dict[str, str]] = {}  # item id -> place -> text
    trashed: dict[int, dict[str, str]] = {}  # trashed items keep their texts for restore

    def words(k: int = 2) -> str:
        return " ".join(rng.sample(WORDS, k))

    for step in range(160):
        action = rng.choice(
            ["add", "add", "edit", "notes", "note", "unnote", "pdf", "delete", "trash", "restore"]
        )
        live = sorted(model)
        if action == "add" or not live:
            item = library.add_item(f"Title {words(1)}", [], authors=[f"Ann {words(1)}"])
            model[item.id] = {"title": item.title, "authors": item.authors[0]}
            continue
        item_id = rng.choice(live)
        if action == "edit":
            field = rng.choice(["title", "abstract"])
            text = f"{field} {words()}"
            library.update_item(item_id, **{field: text})
            model[item_id][field] = text
        elif action == "notes":
            text = f"note {words()}"
            library.update_item(item_id, notes=text)
            model[item_id]["notes"] = text
        elif action == "note":
            quote, comment = words(1), words(1)
            ann = add_annotation(empty_services, item_id, 1, quote, comment)
            model[item_id][f"ann{ann}"] = f"{quote} {comment}"
        elif action == "unnote":
            anns = [k for k in model[item_id] if k.startswith("ann")]
            if anns:
                key = rng.choice(anns)
                if rng.random() < 0.5:
                    conn.execute("DELETE FROM annotations WHERE id = ?", (int(key[3:]),))
                    del model[item_id][key]
                else:
                    text = words(1)
                    conn.execute(
                        "UPDATE annotations SET comment = ?, quote = '' WHERE id = ?",
                        (text, int(key[3:])),
                    )
                    model[item_id][key] = text
        elif action == "pdf":
            pages = [words(), words()]
            name = rng.choice([f"items/{item_id}.pdf", f"items/{item_id}-v{step}.pdf"])
            attach_pdf(empty_services, search, library.item(item_id) or _gone(), pages, name=name)
            model[item_id]["pdf"] = " ".join(pages)
        elif action == "delete":  # a real DELETE, as an empty-trash would do
            conn.execute("DELETE FROM items WHERE id = ?", (item_id,))
            del model[item_id]
        elif action == "trash":
            library.trash_items([item_id])
            trashed[item_id] = model.pop(item_id)
        elif action == "restore" and trashed:
            restored = rng.choice(sorted(trashed))
            library.restore_items([restored])
            model[restored] = trashed.pop(restored)

        if step % 20 == 19:
            _integrity_check(conn)
            _check_search_agrees(search, model)
    _integrity_check(conn)
    _check_search_agrees(search, model)
    search.rebuild()
    _integrity_check(conn)
    _check_search_agrees(search, model)


def _gone():
    raise AssertionError("a live item vanished")


def _check_search_agrees(search: SearchService, model: dict[int, dict[str, str]]) -> None:
    for word in WORDS:
        expected = {
            item_id
            for item_id, texts in model.items()
            if any(word in text.split() for text in texts.values())
        }
        found = set(ids(search.search(word, limit=1000)))
        assert found == expected, word


def test_deleting_an_item_removes_its_text_pages_and_highlights(
    search, empty_services, lib
) -> None:
    item = empty_services.library.item(lib["blog"])
    attach_pdf(empty_services, search, item, ["a gnu page"])
    add_annotation(empty_services, lib["blog"], 1, "gnu highlight")
    empty_services.db.conn.execute("DELETE FROM items WHERE id = ?", (lib["blog"],))
    assert search.search("gnu").items == []
    conn = empty_services.db.conn
    assert conn.execute("SELECT count(*) FROM pdf_pages").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM pdf_text_state").fetchone()[0] == 0
    _integrity_check(conn)


# ---- very common words: only a window of the newest matches is ranked --------------------------
@pytest.fixture
def small_window(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from readerapp.storage import search as module

    for name in ("_ITEMS", "_ANNOTATIONS", "_PAGES"):
        monkeypatch.setattr(module, name, replace(getattr(module, name), window=4))


def test_a_broad_word_still_finds_old_titles_and_respects_phrases(
    search, empty_services, small_window
) -> None:
    library = empty_services.library
    old = library.add_item("Walrus biology", [], abstract="nothing here")
    for n in range(12):  # newer items mention the word only in passing, in another order
        library.add_item(f"Paper {n}", [], abstract=f"biology of the walrus, note {n}")
    phrase_item = library.add_item("Paper last", [], abstract="walrus biology again")
    found = ids(search.search("walrus", limit=100))
    assert found[0] == old.id  # a title match beats the newest abstract matches
    assert len(found) >= 5
    assert set(ids(search.search('"walrus biology"', limit=100))) == {old.id, phrase_item.id}
    assert ids(search.search('"walrus biology" year:1999')) == []


def test_a_broad_word_in_pdf_pages_ranks_within_the_window(
    search, empty_services, small_window
) -> None:
    library = empty_services.library
    for n in range(6):
        item = library.add_item(f"Report {n}", [])
        attach_pdf(empty_services, search, item, ["the dugong"] + ["dugong dugong"] * (n % 2))
    results = search.search("dugong", limit=100)
    assert results.items and all(h.field == "pdf" for r in results.items for h in r.hits)
    topic = library.ensure_topic("Sirenians")
    library.file_items([1], topic.id)  # the oldest report, outside the newest window
    assert ids(search.search("dugong topic:Sirenians")) == [1]


def test_merging_the_page_index_keeps_every_page_findable(search, empty_services) -> None:
    library = empty_services.library
    made = []
    for n in range(6):
        item = library.add_item(f"Merge test {n}", [])
        attach_pdf(empty_services, search, item, [f"page one of okapi{n}", "shared ibex words"])
        made.append(item.id)
    assert search.pdf_text.merge() is True  # six small segments become one
    assert search.pdf_text.merge() is False  # nothing left to do
    _integrity_check(empty_services.db.conn)
    assert set(ids(search.search("ibex"))) == set(made)
    assert ids(search.search("okapi3")) == [made[3]]


def test_a_missing_file_is_recorded_and_read_when_it_comes_back(
    search, empty_services, lib
) -> None:
    empty_services.library.update_item(lib["blog"], pdf_path="items/gone.pdf")
    outcome = search.index_item(lib["blog"])
    assert (outcome.status, outcome.error) == (
        PDF_TEXT_UNREADABLE,
        "The PDF file is missing from the library folder.",
    )
    assert search.pending() == []
    empty_services.files.store_bytes(pdf_bytes(["the gazelle returns"]), "items/gone.pdf")
    assert search.pending() == [lib["blog"]]
    search.pdf_text.index_pending()
    assert ids(search.search("gazelle")) == [lib["blog"]]
