"""BibTeX entries say where a paper was published, the way citation managers expect."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest

from readerapp.app import Services, open_services
from readerapp.core.venues import venue_entry_type
from readerapp.storage.exporter import export_text
from readerapp.storage.importer import import_file


def entries(text: str) -> dict[str, dict[str, str]]:
    return {e["ID"]: e for e in bibtexparser.loads(text).entries}


@pytest.fixture
def second(tmp_path: Path) -> Iterator[Services]:
    s = open_services(str(tmp_path / "second-library"), seed=False)
    yield s
    s.close()


def test_papers_with_a_venue_are_inproceedings_or_articles(empty_services, second, tmp_path):
    lib = empty_services.library
    lib.add_item(
        "Attention Is All You Need",
        kind="paper",
        authors=["Ashish Vaswani"],
        year=2017,
        venue="NeurIPS 2017",
        arxiv_id="1706.03762",
        version=5,
        primary_category="cs.CL",
    )
    lib.add_item(
        "Highly accurate protein structure prediction",
        kind="paper",
        authors=["John Jumper"],
        year=2021,
        venue="Nature",
        doi="10.1038/s41586-021-03819-2",
        url="https://www.nature.com/articles/s41586-021-03819-2",
    )
    lib.add_item(
        "A paper under review",
        kind="paper",
        authors=["Ada Reviewer"],
        year=2024,
        venue="ICLR 2025 submission",
        url="https://openreview.example/forum?id=x",
    )
    lib.add_item(
        "A post", kind="post", authors=["Bo Blogger"], venue="Substack", url="https://b.example/p"
    )
    text = export_text(empty_services.db, "bibtex")
    got = entries(text)
    neurips = got["vaswani2017attention"]
    assert neurips["ENTRYTYPE"] == "inproceedings" and neurips["booktitle"] == "NeurIPS 2017"
    assert (neurips["eprint"], neurips["archiveprefix"], neurips["primaryclass"]) == (
        "1706.03762v5",
        "arXiv",
        "cs.CL",
    )
    assert "howpublished" not in neurips
    nature = got["jumper2021highly"]
    assert nature["ENTRYTYPE"] == "article" and nature["journal"] == "Nature"
    assert got["reviewer2024paper"]["ENTRYTYPE"] == "misc"
    assert (
        got["bloggerpost"]["ENTRYTYPE"] == "misc"
        and got["bloggerpost"]["howpublished"] == "Substack"
    )

    path = tmp_path / "out.bib"
    path.write_text(text, encoding="utf-8")
    report = import_file(second.db, path)
    assert report.items_created == 4 and not report.problems
    venues = {i.title: i.venue for i in second.library.items()}
    assert venues["Attention Is All You Need"] == "NeurIPS 2017"
    assert venues["Highly accurate protein structure prediction"] == "Nature"


@pytest.mark.parametrize(
    ("venue", "kind"),
    [
        ("ICLR 2021", "inproceedings"),
        ("Proceedings of EMNLP 2019", "inproceedings"),
        ("Transactions on Machine Learning Research", "article"),
        ("Journal of Machine Learning Research", "article"),
        ("NeurIPS 2023 Workshop on Science of Deep Learning", "inproceedings"),
        ("OpenReview (ICLR 2024 submission)", "misc"),
        ("", "misc"),
    ],
)
def test_venue_entry_types(venue, kind):
    assert venue_entry_type(venue) == kind
