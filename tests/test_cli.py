"""The command-line contract (the project's CLI guide) for the foundation's commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from readerapp.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_topics_json_lists_paths_and_counts(capsys, home: Path) -> None:
    code, out, _ = run(capsys, "--home", str(home), "topics", "--json")
    assert code == 0
    rows = {r["path"]: r for r in json.loads(out)}
    assert rows["Research focus/World Models"]["count"] == 4
    assert rows["Research focus/World Models"]["parent_id"] == rows["Research focus"]["id"]


def test_list_json_has_the_contract_fields(capsys, home: Path) -> None:
    code, out, _ = run(
        capsys, "--home", str(home), "list", "--topic", "Research focus/Scaling Laws", "--json"
    )
    assert code == 0
    (item,) = json.loads(out)
    assert item["title"] == "Scaling Laws for Neural Language Models"
    assert item["arxiv_id"] == "2001.08361" and item["version"] is None
    assert item["authors"][:2] == ["Jared Kaplan", "Sam McCandlish"]
    assert item["topics"] == ["Research focus/Scaling Laws"]
    assert item["has_pdf"] is False and item["status"] == "to-read"
    assert item["url"] == "https://arxiv.org/abs/2001.08361"
    assert isinstance(item["id"], int)


def test_an_unknown_topic_is_bad_input(capsys, home: Path) -> None:
    code, _, err = run(capsys, "--home", str(home), "list", "--topic", "Nope")
    assert code == 2
    assert err.startswith("readerapp: There is no topic “Nope”") and "Traceback" not in err


def test_bad_usage_exits_2_with_a_sentence(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--home", "x", "frobnicate"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err and "--help" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["--open", "3"], "--open goes with --screenshot"),
        (["--screenshot", "x.png", "--page", "3"], "--page goes with --open"),
    ],
)
def test_open_and_page_without_what_they_go_with_are_bad_usage(capsys, args, sentence) -> None:
    """Once they were ignored without a word (the app just started)."""
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert sentence in err and err.count("\n") == 1


def test_a_non_database_file_is_reported_not_overwritten(capsys, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "library.sqlite3").write_text("not a database")
    code, _, err = run(capsys, "--home", str(home), "topics")
    assert code == 1 and "not an SQLite database" in err
    assert (home / "library.sqlite3").read_text() == "not a database"


def test_readerapp_home_environment_variable_is_used(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("READERAPP_HOME", str(tmp_path / "env-home"))
    code, _, _ = run(capsys, "topics")
    assert code == 0 and (tmp_path / "env-home" / "library.sqlite3").exists()


def test_version_and_help_run_as_a_program(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "readerapp", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.startswith("readerapp ")
    out = subprocess.run(
        [sys.executable, "-m", "readerapp", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "topics" in out.stdout and "list" in out.stdout


def test_output_piped_into_a_closed_reader_is_not_an_error(home: Path) -> None:
    """`readerapp list --json | head -1` must not end in a BrokenPipeError traceback."""
    from readerapp.app import open_services

    services = open_services(str(home))
    with services.db.transaction() as conn:  # far more output than a pipe buffers
        conn.executemany(
            "INSERT INTO items(title) VALUES (?)",
            [(f"Paper {i} " + "x" * 200,) for i in range(2000)],
        )
    services.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "readerapp", "--home", str(home), "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away after one line
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err.decode() and "BrokenPipe" not in err.decode()


def test_a_launch_with_pdf_paths_is_not_a_command(tmp_path: Path, monkeypatch) -> None:
    """`readerapp %F` from the desktop entry: paths to files open in the app; bare words stay
    commands even when a file of that name exists here."""
    from readerapp.cli import _parse_app_launch

    paper = tmp_path / "paper.pdf"
    paper.write_bytes(b"%PDF-1.7\n")
    (tmp_path / "topics").write_text("a file named like a command")
    monkeypatch.chdir(tmp_path)
    args = _parse_app_launch(["--home", "lib", str(paper), "paper.pdf"])
    assert args is not None and args.files == [str(paper), "paper.pdf"] and args.home == "lib"
    assert _parse_app_launch(["topics"]) is None
    with pytest.raises(SystemExit) as exited:
        _parse_app_launch(["missing.pdf"])
    assert exited.value.code == 2
    assert _parse_app_launch(["--help"]) is None
