"""The import report tells one story per line of the file."""

from __future__ import annotations

from readerapp.storage.importer import import_file


def test_a_broken_arxiv_link_matched_by_title_is_reported_once_as_matched(services, tmp_path):
    # The starter library has "Attention Is All You Need" (arXiv 1706.03762); this link's id
    # has a digit too many, so the reader cannot use it and the title decides.
    path = tmp_path / "list.md"
    path.write_text(
        "## Transformers\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.037621)\n",
        encoding="utf-8",
    )
    report = import_file(services.db, path)
    assert report.items_created == 0
    lines = "\n".join(report.lines())
    said = [str(p) for p in report.problems if p.line == 3]
    assert len(said) == 1
    assert "matched “Attention Is All You Need” to the library's paper" in said[0]
    assert "no arXiv id" not in lines and "despite its broken arXiv link" not in lines
