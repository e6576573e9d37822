"""What readerapp writes where the user says (an export, an annotated PDF, a screenshot) is never
written inside the library folder: over the database, its journal, a paper's PDF or a backup.
Nothing is backed up before an export, so one written there would destroy what it replaced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readerapp.app import open_services
from readerapp.cli import main
from readerapp.core.library_paths import InsideLibraryError, outside_library_folder
from readerapp.services.local_files import add_pdf_file
from tests.pdf_samples import make_long, make_paper


def listed(home: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert main(["--home", str(home), "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_an_export_inside_the_library_folder_is_refused_and_nothing_changes(
    home: Path, tmp_path: Path, capsys
) -> None:
    before = listed(home, capsys)
    database = home / "library.sqlite3"
    stored = database.read_bytes()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "link.md").symlink_to(database)  # a link from outside counts where it points
    for target in (
        database,
        home / "library.sqlite3-wal",
        home / "files" / "reading-list.md",
        home / "backups" / "list.bib",
        outside / "link.md",
    ):
        code = main(["--home", str(home), "export", "--format", "md", "-o", str(target)])
        err = capsys.readouterr().err
        assert code == 2, target
        assert "inside the library folder" in err and "Traceback" not in err
    assert database.read_bytes() == stored
    assert listed(home, capsys) == before
    assert main(["--home", str(home), "export", "--format", "md", "-o", str(outside / "l.md")]) == 0
    assert (outside / "l.md").read_text(encoding="utf-8").startswith("#")


def test_an_annotated_pdf_is_never_written_over_another_papers_pdf(
    home: Path, tmp_path: Path, capsys
) -> None:
    services = open_services(str(home))
    first = add_pdf_file(services, make_paper(tmp_path / "first.pdf"))
    second = add_pdf_file(services, make_long(tmp_path / "second.pdf", 3))
    other_pdf = services.annotations.pdf_path(second.id)
    services.close()
    assert other_pdf is not None and other_pdf.is_relative_to(home)
    kept = other_pdf.read_bytes()
    assert main(["--home", str(home), "export-pdf", str(first.id), str(other_pdf)]) == 2
    assert "inside the library folder" in capsys.readouterr().err
    assert other_pdf.read_bytes() == kept
    out = tmp_path / "annotated.pdf"
    assert main(["--home", str(home), "export-pdf", str(first.id), str(out)]) == 0
    assert out.exists()


def test_a_screenshot_over_the_database_is_refused_before_the_window_opens(
    home: Path, capsys
) -> None:
    listed(home, capsys)  # the library exists
    database = home / "library.sqlite3"
    stored = database.read_bytes()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "readerapp", "--home", str(home), "--screenshot", str(database)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert "inside the library folder" in done.stderr and "Traceback" not in done.stderr
    assert database.read_bytes() == stored


def test_the_rule_follows_links_and_lets_anything_outside_through(tmp_path: Path) -> None:
    root = tmp_path / "library"
    (root / "files").mkdir(parents=True)
    (tmp_path / "into").symlink_to(root / "files")
    with pytest.raises(InsideLibraryError):
        outside_library_folder(root, tmp_path / "into" / "x.md")
    with pytest.raises(InsideLibraryError):
        outside_library_folder(root, root)
    beside = tmp_path / "library-exports" / "x.md"  # a name that starts like the folder's
    assert outside_library_folder(root, beside) == beside
