"""Import and export on real SQLite libraries in temp folders: round trips, merging, bad input,
rollback, and the CLI contract."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from readerapp.app import Services, open_services
from readerapp.cli import main
from readerapp.core.errors import BadInputError, UserError
from readerapp.services.importexport import export_to
from readerapp.storage.backup import export_backup
from readerapp.storage.bibtex_io import latex_escape, latex_unescape
from readerapp.storage.exporter import export_text
from readerapp.storage.importer import import_file
from readerapp.storage.library import LibraryRepository
from readerapp.storage.starter import STARTER_STATE_KEY
from tests.conftest import READING_LIST


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Services]:
    """A second, empty library (``services`` and ``empty_services`` share one folder)."""
    s = open_services(str(tmp_path / "other-library"), seed=False)
    yield s
    s.close()


def tables(services: Services) -> dict:
    """Every user table, row by row: the strictest picture of a library there is."""
    return json.loads(export_backup(services.db))["tables"]


def shape(services: Services) -> tuple[list, list]:
    """Topics and items (title, url, arXiv id and version, notes, authors, topics) of a library."""
    library = services.library
    paths = library.topic_paths()
    items = sorted(
        (
            i.title,
            i.url,
            i.arxiv_id,
            i.version,
            i.notes,
            tuple(i.authors),
            tuple(library.item_topic_paths(i.id, paths)),
        )
        for i in library.items()
    )
    return sorted(paths.values()), items


def enrich(services: Services) -> None:
    """Notes with links and lists, a status, a highlight, a feed with a rule, deep topics."""
    lib = services.library
    attention = lib.find_by_arxiv_id("1706.03762")
    lib.update_item(
        attention.id,
        notes="Read *twice*.\n\n- section 3 & 50% of §4\n- compare [GPT](https://example.org/g_p)",
        status="read",
        version=5,
    )
    orca = lib.find_by_arxiv_id("2306.02707")
    lib.update_item(orca.id, status="reading")
    deep = lib.ensure_topic("A/B/C/D/E/F/G")
    lib.add_item(
        "Deep [thing] *starred*", [deep.id], url="https://example.org/deep", kind="article"
    )
    lib.ensure_topic("Empty topic")
    conn = services.db.conn
    conn.execute(
        "INSERT INTO annotations(item_id, kind, page, color, quote, comment) "
        "VALUES (?, 'highlight', 3, '#ffd400', 'multi-head attention', 'the key idea')",
        (attention.id,),
    )
    topic = lib.find_topic("Research focus/Alignment")
    conn.execute(
        "INSERT INTO feeds(kind, source, title, topic_id) VALUES ('arxiv', 'cs.LG', 'ML', ?)",
        (topic.id,),
    )
    conn.execute(
        "INSERT INTO watch_rules(topic_id, keywords) VALUES (?, '[\"RLHF\"]')", (topic.id,)
    )
    conn.execute("INSERT INTO fetch_pending(item_id, need_metadata) VALUES (?, 1)", (orca.id,))


# ---- Markdown ---------------------------------------------------------------------------------


def test_diary_into_empty_library_then_again_changes_nothing(empty_services, capsys):
    services = empty_services
    LibraryRepository(services.db).set_state(STARTER_STATE_KEY, "1")  # as the CLI seeds
    assert main(["--home", str(services.paths.root), "import", str(READING_LIST)]) == 0
    out = capsys.readouterr().out
    assert "8 topics created" in out and "16 items created" in out
    assert "line 59: the arXiv link https://arxiv.org/abs/2001.083613" in out
    assert "line 10: image “Diffusion Process”" in out
    before = tables(services)
    assert main(["--home", str(services.paths.root), "import", str(READING_LIST)]) == 0
    out = capsys.readouterr().out
    assert "0 items created, 0 merged into existing items, 16 already there unchanged" in out
    assert tables(services) == before


def test_diary_into_a_library_holding_its_papers_merges_without_duplicates(empty_services):
    """The starter library's case: the list's papers are there already, under the library's own
    titles and without notes, and the malformed link's paper is there under its right id."""
    services, lib = empty_services, empty_services.library
    import_file(services.db, READING_LIST)
    for item in lib.items():
        lib.update_item(item.id, notes="")
    denoising = lib.find_by_arxiv_id("2104.05512")
    lib.update_item(denoising.id, title="Denoising Walks Through Data Space (WGM 2021)")
    scaling = next(i for i in lib.items() if i.title == "Scaling Laws for Denoising Networks")
    lib.update_item(scaling.id, arxiv_id="2001.08361", url="https://arxiv.org/abs/2001.08361")
    before_topics, before_items = shape(services)
    report = import_file(services.db, READING_LIST)
    assert (report.topics_created, report.items_created) == (0, 0)
    assert report.items_merged + report.items_unchanged == 16
    topics, items = shape(services)
    assert topics == before_topics
    assert len(items) == len(before_items)  # the malformed Scaling Laws link matched by title
    assert lib.find_by_arxiv_id("2305.08812").notes.startswith("This paper makes a careful case")
    assert lib.find_by_arxiv_id("2308.04417").notes.startswith("_Can a sampler learn")
    # the library's own titles win over the list's link texts
    held_title = "Denoising Walks Through Data Space (WGM 2021)"
    assert lib.find_by_arxiv_id("2104.05512").title == held_title
    assert lib.find_by_arxiv_id("2001.08361").title == "Scaling Laws for Denoising Networks"
    assert any("to the library's paper of the same title" in str(p) for p in report.problems)


def test_markdown_round_trip_into_empty_library(services, tmp_path, other):
    enrich(services)
    text = export_text(services.db, "md")
    assert "  > **p. 3** multi-head attention" in text  # the highlight, as a quote
    assert "###### E / F / G" in text  # beyond six heading levels the path is spelled out
    path = tmp_path / "list.md"
    path.write_text(text, encoding="utf-8")
    report = import_file(other.db, path)
    assert sorted(p.what.split(" ")[0] for p in report.problems) == ["highlight", "link"]
    got_topics, got_items = shape(other)
    want_topics, want_items = shape(services)
    assert got_topics == want_topics
    assert got_items == want_items  # authors too, "The readerapp authors" included
    # and exporting the copy gives the same text again (without highlights and PDFs)
    assert export_text(other.db, "md") == text.replace(
        "  > **p. 3** multi-head attention\n  >\n  > the key idea\n\n", ""
    ).replace("  > **p. 3** multi-head attention\n  >\n  > the key idea\n", "").replace(
        "(local PDF)", "(no link)"
    )


def test_markdown_export_of_one_topic(services):
    text = export_text(services.db, "md", "Research focus/World Models")
    assert text.startswith("# Research focus/World Models\n\n## World Models\n")
    assert "[Mastering Atari with Discrete World Models](https://arxiv.org/abs/2010.02193)" in text
    assert "[World Models](https://worldmodels.github.io/) (arXiv:1803.10122)" in text
    assert "Attention" not in text


def test_new_arxiv_papers_wait_for_metadata(empty_services, tmp_path):
    path = tmp_path / "x.md"
    path.write_text("## T\n\n- [arXiv:2401.00001](https://arxiv.org/abs/2401.00001v2)\n")
    import_file(empty_services.db, path)
    item = empty_services.library.find_by_arxiv_id("2401.00001")
    assert item.version == 2
    pending = empty_services.db.conn.execute(
        "SELECT need_metadata FROM fetch_pending WHERE item_id = ?", (item.id,)
    ).fetchone()
    assert pending == (1,)


def test_a_trashed_item_comes_back_instead_of_a_duplicate(services, tmp_path):
    lib = services.library
    item = lib.find_by_arxiv_id("2312.14302")
    lib.trash_items([item.id])
    path = tmp_path / "x.md"
    path.write_text("## Favourites\n\n- [GPT-4 APIs](https://arxiv.org/pdf/2312.14302v1)\n")
    report = import_file(services.db, path)
    assert report.items_created == 0
    assert lib.item(item.id) is not None
    assert any("trash" in n for n in report.notes)


def test_import_failing_midway_leaves_the_library_unchanged(services):
    # A real failure in SQLite itself on the list's last item, after 15 others went in.
    services.db.conn.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON items "
        "WHEN new.title LIKE 'Predictive Latents%' BEGIN SELECT RAISE(ABORT, 'disk quota'); END"
    )
    before = tables(services)
    with pytest.raises(UserError, match="failed midway .*left as it was"):
        import_file(services.db, READING_LIST)
    assert tables(services) == before


# ---- BibTeX -----------------------------------------------------------------------------------


def test_bibtex_export_fields_keys_and_escaping(services):
    enrich(services)
    text = export_text(services.db, "bibtex")
    assert "@inproceedings{vaswani2017attention," in text  # NeurIPS 2017
    entry = text[text.index("@inproceedings{vaswani2017attention,") :].split("\n}\n")[0]
    assert "eprint = {1706.03762v5}" in entry and "archivePrefix = {arXiv}" in entry
    assert "url = {https://arxiv.org/abs/1706.03762}" in entry
    assert "{\\L}ukasz Kaiser" in entry  # non-ASCII names as LaTeX
    assert "section 3 \\& 50\\% of {\\textsection}4" in entry
    assert "Micha{\\l} Zaj{\\k a}c" in text
    assert export_text(services.db, "bibtex") == text  # stable between exports


def test_citation_keys_are_stable_when_items_are_added(services):
    first = export_text(services.db, "bibtex")
    services.library.add_item(
        "Attention is everywhere", authors=["Jane Vaswani"], year=2017, url="https://e.org/x"
    )
    second = export_text(services.db, "bibtex")
    keys = [ln for ln in first.splitlines() if ln.startswith("@")]
    assert keys == [ln for ln in second.splitlines() if ln.startswith("@")][: len(keys)]
    assert "@misc{vaswani2017attentiona," in second  # the newcomer (no venue) gets the letter


def test_bibtex_round_trip_into_empty_library(services, other, tmp_path):
    enrich(services)
    path = tmp_path / "lib.bib"
    path.write_text(export_text(services.db, "bibtex"), encoding="utf-8")
    report = import_file(other.db, path)
    assert report.problems == []
    want_topics, want_items = shape(services)
    got_topics, got_items = shape(other)
    assert got_topics == [t for t in want_topics if t != "Empty topic"]  # BibTeX holds entries
    assert got_items == want_items
    again = import_file(other.db, path)
    assert (again.items_created, again.items_merged) == (0, 0)


def test_titles_with_a_lone_brace_come_back_from_a_bibtex_file(empty_services, other, tmp_path):
    """A brace left open or closed in a title ("Loss } tricks") made the entry unreadable (or
    read without its fields) when the file was imported again."""
    titles = ["Loss } tricks for sparse models", "The { operator, revisited", "Sets {a, b} and c"]
    for title in titles:
        empty_services.library.add_item(title, kind="paper", authors=["Ada Lovelace"], year=2021)
    path = tmp_path / "lib.bib"
    path.write_text(export_text(empty_services.db, "bibtex"), encoding="utf-8")
    report = import_file(other.db, path)
    assert report.problems == [] and report.items_created == 3
    got = {i.title: (i.authors, i.year) for i in other.library.items()}
    assert got == {t: (["Ada Lovelace"], 2021) for t in titles}
    assert "\\{" not in path.read_text(encoding="utf-8")  # no escape a parser counts as a brace


@pytest.mark.parametrize(
    "text",
    [
        "áéíóú ñ Łódź Jürgen Øresund straße “quoted” — dash",
        "A & B, 50% off, $5, #1, a_b, {braces}, ~tilde, ^caret, back\\slash",
        "a lone } and a lone {, back\\slash{",
    ],
)
def test_latex_escaping_round_trips(text):
    assert latex_unescape(latex_escape(text)) == text


def test_bibtex_import_recognises_arxiv_ids_and_merges(services, tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(
        "@article{a, title={Are Emergent Abilities of Large Language Models a Mirage?},\n"
        "  author={Schaeffer, Rylan and Miranda, Brando}, year={2023},\n"
        "  eprint={arXiv:2304.15004v2}, archivePrefix={arXiv}}\n"
        "@misc{b, title={Scaling Laws}, url={https://arxiv.org/abs/2001.08361}}\n"
        "@misc{c, title={GameGAN}, doi={10.48550/arXiv.2005.12126}}\n"
        '@article{d, title={New {\\"U}ber paper}, author={M{\\"u}ller, J{\\"o}rg},\n'
        "  journal={arXiv preprint arXiv:2402.01234}, year={2024}}\n",
        encoding="utf-8",
    )
    report = import_file(services.db, path)
    assert (report.items_created, report.items_merged + report.items_unchanged) == (1, 3)
    new = services.library.find_by_arxiv_id("2402.01234")
    assert (new.title, new.authors, new.year) == ("New Über paper", ["Jörg Müller"], 2024)
    assert services.library.find_by_arxiv_id("2304.15004").version == 2  # filled, was unknown


def test_broken_bibtex_entries_are_reported(empty_services, tmp_path):
    path = tmp_path / "broken.bib"
    path.write_text(
        "@misc{good, title={Fine}, url={https://example.org/fine}}\n\n"
        "@article{bad, title={Never closed, author={X}\n",
        encoding="utf-8",
    )
    report = import_file(empty_services.db, path)
    assert report.items_created == 1
    assert [str(p) for p in report.problems] == [
        "line 3: entry @article{bad; could not be read; skipped"
    ]


def test_a_file_with_no_entries_is_not_bibtex(empty_services, tmp_path):
    path = tmp_path / "notes.bib"
    path.write_text("just some words\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="no BibTeX entries"):
        import_file(empty_services.db, path)


# ---- JSON backup ------------------------------------------------------------------------------


def test_backup_restores_into_an_empty_library_exactly(services, other, tmp_path):
    enrich(services)
    services.library.trash_items([services.library.find_by_arxiv_id("2005.12126").id])
    path = tmp_path / "backup.json"
    path.write_text(export_text(services.db, "json"), encoding="utf-8")
    backup = json.loads(path.read_text(encoding="utf-8"))
    assert backup["schema_version"] == services.db.schema_version
    assert {"annotations", "feeds", "watch_rules", "fetch_pending"} <= set(backup["tables"])
    assert not any(name.startswith("search_") for name in backup["tables"])
    report = import_file(other.db, path)
    assert "restored exactly" in " ".join(report.notes)
    # the starter's PDF is a file in the first library's folder, not in the backup
    assert "1 items name a PDF that is not in this library's files folder" in str(report)
    assert tables(other) == tables(services)  # every row of every table, ids included
    hits = other.db.conn.execute(
        "SELECT count(*) FROM search_items WHERE search_items MATCH 'attention'"
    ).fetchone()[0]
    assert hits >= 1  # the full-text index was rebuilt by its triggers


def test_backup_merges_into_a_non_empty_library(services, other, tmp_path):
    enrich(services)
    path = tmp_path / "backup.json"
    path.write_text(export_text(services.db, "json"), encoding="utf-8")
    import_file(other.db, READING_LIST)  # a different, non-empty library ...
    alignment = other.library.ensure_topic("Research focus/Alignment")
    other.library.add_item(  # ... holding one of the backup's papers, unread
        "Attention Is All You Need", [alignment.id], arxiv_id="1706.03762", kind="paper"
    )
    report = import_file(other.db, path)
    lib = other.library
    assert lib.find_by_arxiv_id("1706.03762").status == "to-read"  # the library's own kept
    assert len([i for i in lib.items() if i.arxiv_id == "1706.03762"]) == 1
    (count,) = other.db.conn.execute("SELECT count(*) FROM annotations").fetchone()
    assert count == 1
    rule_topic = other.db.conn.execute(
        "SELECT t.name FROM watch_rules r JOIN topics t ON t.id = r.topic_id"
    ).fetchall()
    assert rule_topic == [("Alignment",)]
    assert report.items_created == len(services.library.items()) - 1  # all but Attention
    assert len(lib.items()) == 16 + len(services.library.items())  # the list's items stay
    before = tables(other)
    again = import_file(other.db, path)
    assert (again.items_created, again.items_merged, again.topics_created) == (0, 0, 0)
    assert tables(other) == before


def test_backup_from_a_newer_version_is_refused(services, tmp_path, capsys):
    data = json.loads(export_text(services.db, "json"))
    data["schema_version"] = 999
    path = tmp_path / "future.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = tables(services)
    assert main(["--home", str(services.paths.root), "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "made by a newer version of readerapp (schema 999" in err
    assert "Traceback" not in err
    assert tables(services) == before


def test_damaged_backup_fails_whole(services, other, tmp_path):
    data = json.loads(export_text(services.db, "json"))
    items = data["tables"]["items"]
    items["rows"][-1][items["columns"].index("status")] = "bogus"  # a CHECK fails, last row
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BadInputError, match="could not be restored .*left as it was"):
        import_file(other.db, path)
    assert LibraryRepository(other.db).is_empty()


# ---- bad input and the CLI --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.md", b"", "is empty"),
        ("blank.md", b"  \n\n\t\n", "is empty"),
        ("binary.md", b"%PDF-1.7\x00\x01\x02 binary", "binary file"),
        ("latin1.md", b"## Caf\xe9\n\n[x](https://e.org)\n", "not valid UTF-8 text (line 1)"),
        ("prose.md", b"Just a sentence, no links.\n", "no headings and no links"),
        ("other.json", b'{"hello": 1}', "not a readerapp backup"),
        ("broken.json", b'{"format": "readerapp-backup", ', "not valid JSON"),
    ],
)
def test_bad_files_get_a_sentence_and_change_nothing(
    services, tmp_path, capsys, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    before = tables(services)
    assert main(["--home", str(services.paths.root), "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("readerapp: ") and "Traceback" not in err
    assert tables(services) == before


def test_huge_and_missing_files(services, tmp_path):
    huge = tmp_path / "huge.md"
    with huge.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    with pytest.raises(BadInputError, match="up to 20 MB"):
        import_file(services.db, huge)
    with pytest.raises(BadInputError, match="There is no file"):
        import_file(services.db, tmp_path / "nope.md")


def test_cli_export_to_a_file_and_to_stdout(services, tmp_path, capsys):
    home = str(services.paths.root)
    target = tmp_path / "out" / "library.bib"
    assert main(["--home", home, "export", "--format", "bibtex", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("@misc{")
    assert main(["--home", home, "export", "--format", "md", "--topic", "Favourites"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Favourites\n") and "[Exploiting Novel GPT-4 APIs]" in out
    assert main(["--home", home, "export", "--format", "json", "--topic", "Favourites"]) == 2
    assert "whole library" in capsys.readouterr().err
    assert main(["--home", home, "export", "--format", "md", "--topic", "Nope"]) == 2
    assert "There is no topic “Nope”" in capsys.readouterr().err


def test_cli_export_json_then_import_is_a_no_op(services, tmp_path, capsys):
    enrich(services)  # a library in use: the backup merges into it
    home = str(services.paths.root)
    target = tmp_path / "b.json"
    assert main(["--home", home, "export", "--format", "json", "-o", str(target)]) == 0
    before = tables(services)
    assert main(["--home", home, "import", str(target)]) == 0
    assert "0 items created, 0 merged" in capsys.readouterr().out
    assert tables(services) == before


def test_restore_keeps_blob_cells(empty_services, tmp_path):
    conn = empty_services.db.conn
    conn.execute("INSERT INTO state(key, value) VALUES ('raw', ?)", (sqlite3.Binary(b"\x00\xff"),))
    text = export_backup(empty_services.db)
    conn.execute("DELETE FROM state")
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    import_file(empty_services.db, path)
    assert conn.execute("SELECT value FROM state WHERE key = 'raw'").fetchone() == (b"\x00\xff",)


def test_export_writes_nothing_when_the_folder_cannot_be_written(services, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UserError, match="Cannot write"):
        export_to(services, "md", None, blocker / "sub" / "out.md")
    assert blocker.read_text() == "x"


def test_export_markdown_parses_back_without_problems_for_a_plain_library(services, tmp_path):
    path = tmp_path / "x.md"
    path.write_text(export_text(services.db, "md"), encoding="utf-8")
    assert Path(path).stat().st_size > 0
    report = import_file(services.db, path)
    assert report.problems == []
    assert (report.items_created, report.items_merged) == (0, 0)


def test_opml_goes_to_the_feeds_service(services, tmp_path, capsys):
    path = tmp_path / "feeds.opml"
    path.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline text="ML" type="rss" xmlUrl="https://rss.arxiv.org/rss/cs.LG"/></body></opml>',
        encoding="utf-8",
    )
    home = str(services.paths.root)
    assert main(["--home", home, "import", str(path)]) == 0
    assert "Imported feeds.opml (OPML feed list): Imported 1 feeds." in capsys.readouterr().out
    assert main(["--home", home, "export", "--format", "opml"]) == 0
    assert "https://rss.arxiv.org/rss/cs.LG" in capsys.readouterr().out


def test_a_backup_replaces_the_untouched_starter_list_of_a_new_library(
    services, other, tmp_path, capsys
):
    enrich(services)
    path = tmp_path / "backup.json"
    path.write_text(export_text(services.db, "json"), encoding="utf-8")
    fresh = tmp_path / "new-machine"
    # `readerapp --home NEW import backup.json`: the CLI seeds the starter list first
    assert main(["--home", str(fresh), "import", str(path)]) == 0
    assert "the backup replaced it" in capsys.readouterr().out
    restored = open_services(str(fresh))
    try:
        assert tables(restored) == tables(services)
    finally:
        restored.close()
    # once the user has touched the starter list, a backup merges instead
    LibraryRepository(other.db).set_state(STARTER_STATE_KEY, "1")
    import_file(other.db, READING_LIST)
    assert "restored exactly" not in str(import_file(other.db, path))


def test_an_older_backup_restores_what_it_has(services, other, tmp_path):
    data = json.loads(export_text(services.db, "json"))
    data["schema_version"] = 1  # before annotations, arXiv state, feeds and search existed
    data["tables"] = {
        k: v for k, v in data["tables"].items() if k in ("topics", "items", "item_topics")
    }
    items = data["tables"]["items"]
    gone = items["columns"].index("comment")  # pretend the column came later
    items["columns"].pop(gone)
    for row in items["rows"]:
        row.pop(gone)
    data["tables"]["old_table"] = {"columns": ["x"], "rows": [[1]]}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = import_file(other.db, path)
    assert shape(other) == shape(services)
    assert [str(p) for p in report.problems] == ["table “old_table”; unknown here; skipped"]
