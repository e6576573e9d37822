"""Stored file paths stay inside the library: crafted backups with absolute or ``..`` PDF paths
are refused for those fields (and the report says so), and nothing reads or writes a file
outside the library through a stored path."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest

from readerapp.app import open_services
from readerapp.cli import main
from readerapp.core.library_paths import OutsideLibraryError, inside_library, is_library_relative
from readerapp.storage.backup import export_backup

OUTSIDE_PATHS = [
    "/etc/passwd",
    "../../outside.pdf",
    "arxiv/../../../outside.pdf",
    "C:\\Users\\someone\\secret.pdf",
    "..\\..\\outside.pdf",
    "~/outside.pdf",
]


def make_pdf(path: Path, text: str) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    doc.save(path)
    doc.close()
    return path


@pytest.mark.parametrize("stored", OUTSIDE_PATHS)
def test_paths_leaving_the_folder_are_not_library_relative(stored: str, tmp_path: Path) -> None:
    assert not is_library_relative(stored)
    with pytest.raises(OutsideLibraryError, match="outside the library folder"):
        inside_library(tmp_path, stored)


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "escape").symlink_to(tmp_path)
    assert is_library_relative("escape/x.pdf")
    with pytest.raises(OutsideLibraryError):
        inside_library(folder, "escape/x.pdf")
    assert inside_library(folder, "arxiv/2405.01234v1.pdf") == folder / "arxiv/2405.01234v1.pdf"


def crafted_backup(tmp_path: Path, paths: list[str]) -> Path:
    """A real backup of a library with one item per path, its pdf_path then set to ``path``."""
    home = tmp_path / "source"
    services = open_services(str(home), seed=False)
    for n, _ in enumerate(paths):
        services.library.add_item(f"Paper {n}", [])
    data = json.loads(export_backup(services.db))
    services.close()
    items = data["tables"]["items"]
    column = items["columns"].index("pdf_path")
    for row, stored in zip(items["rows"], paths, strict=True):
        row[column] = stored
    out = tmp_path / "crafted.json"
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def test_a_crafted_backup_is_restored_without_its_outside_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = make_pdf(tmp_path / "outside.pdf", "Not the library's")
    before = outside.read_bytes()
    backup = crafted_backup(tmp_path, [*OUTSIDE_PATHS, str(outside), "items/1-fine.pdf"])
    home = tmp_path / "library"
    code = main(["--home", str(home), "import", str(backup)])
    out, err = capsys.readouterr()
    assert code == 0, err
    report = out + err
    assert report.count("points outside the library folder") == len(OUTSIDE_PATHS) + 1
    services = open_services(str(home), seed=False)
    try:
        stored = [i.pdf_path for i in services.library.items()]
        assert stored.count(None) == len(OUTSIDE_PATHS) + 1
        assert "items/1-fine.pdf" in stored  # a path inside the library is kept
    finally:
        services.close()
    assert outside.read_bytes() == before


def test_highlights_never_write_a_pdf_outside_the_library(tmp_path: Path) -> None:
    """Even a path that reached the database some other way is checked before any write."""
    outside = make_pdf(tmp_path / "outside.pdf", "Precious text outside the library")
    before = outside.read_bytes()
    services = open_services(str(tmp_path / "library"), seed=False)
    try:
        item = services.library.add_item("Crafted", [])
        with services.db.transaction() as conn:
            conn.execute("UPDATE items SET pdf_path = ? WHERE id = ?", (str(outside), item.id))
        annotations = services.annotations
        annotations.set_write_library_file(True)
        with pytest.raises(OutsideLibraryError):
            annotations.sync_library_file(item.id)
        with pytest.raises(OutsideLibraryError):
            annotations.export_pdf(item.id, tmp_path / "copy.pdf")
    finally:
        services.close()
    assert outside.read_bytes() == before
