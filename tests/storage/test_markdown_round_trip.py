"""A Markdown export imports back into an empty library as the same items: status, year,
authors and notes included, and items without a link written so that they read back too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from readerapp.app import Services, open_services
from readerapp.core.reading_list import parse_reading_list
from readerapp.storage.exporter import export_text
from readerapp.storage.importer import import_file


@pytest.fixture
def copy(tmp_path: Path) -> Iterator[Services]:
    s = open_services(str(tmp_path / "copy"), seed=False)
    yield s
    s.close()


def everything(services: Services) -> list[tuple]:
    library = services.library
    paths = library.topic_paths()
    return sorted(
        (
            i.title,
            i.url,
            i.arxiv_id,
            i.notes,
            tuple(i.authors),
            i.year,
            str(i.status),
            tuple(sorted(library.item_topic_paths(i.id, paths))),
        )
        for i in library.items()
    )


def test_export_then_import_keeps_status_year_authors_and_notes(services, copy, tmp_path):
    lib = services.library
    attention = lib.find_by_arxiv_id("1706.03762")
    lib.update_item(attention.id, status="reading", notes="Section 3 *twice*.")
    lib.update_item(lib.find_by_arxiv_id("2306.02707").id, status="read")
    topic = lib.find_topic("Favourites")
    lib.add_item(
        "A book I own",
        [topic.id],
        kind="paper",
        authors=["OpenAI", "Jane Q. Public"],
        year=2019,
        status="read",
    )
    text = export_text(services.db, "md")
    assert "]()" not in text  # never an empty link for an item without one
    assert "- **Getting started with readerapp** (local PDF) (2026)" in text
    assert "(2017) by Ashish Vaswani" in text and text.count("· reading") == 1
    path = tmp_path / "list.md"
    path.write_text(text, encoding="utf-8")
    report = import_file(copy.db, path)
    assert report.problems == []
    assert everything(copy) == everything(services)
    # and it is stable (a Markdown file carries no PDF: the copy's item has none)
    assert export_text(copy.db, "md") == text.replace("(local PDF)", "(no link)")


def test_a_reading_list_line_gives_year_authors_and_status():
    entry = parse_reading_list(
        "## Papers\n\n- [World Models](https://worldmodels.github.io/) (arXiv:1803.10122) (2018) "
        "by David Ha and Jürgen Schmidhuber · read\n"
    ).entries[0]
    assert (entry.arxiv_id, entry.year, entry.status) == ("1803.10122", 2018, "read")
    assert entry.authors == ["David Ha", "Jürgen Schmidhuber"] and entry.notes == ""


CODE_TABLE_AND_RULE = """Intro line.

```python
def f(x):

    return x**2  # <b>not html</b>,   spaced
```

| model | score |
| --- | ---: |
| small | 41.2 |

***

The end."""


def test_notes_with_code_a_table_and_a_rule_come_back_as_written(services, copy, tmp_path):
    """An export read back into another library keeps code (its spacing, blank lines and
    anything that looks like HTML in it), a table and a rule in the notes as they were."""
    attention = services.library.find_by_arxiv_id("1706.03762")
    services.library.update_item(attention.id, notes=CODE_TABLE_AND_RULE)
    path = tmp_path / "list.md"
    path.write_text(export_text(services.db, "md"), encoding="utf-8")
    import_file(copy.db, path)
    assert copy.library.find_by_arxiv_id("1706.03762").notes == CODE_TABLE_AND_RULE
    again = import_file(copy.db, path)  # read twice: nothing is added the second time
    assert again.items_merged == 0
    assert copy.library.find_by_arxiv_id("1706.03762").notes == CODE_TABLE_AND_RULE
