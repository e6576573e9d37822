"""`readerapp --screenshot` starts the real app in a process, paints it, saves it and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pymupdf

from readerapp.services import settings


def launch(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m readerapp ARGS` as a user would (offscreen unless ``env`` says otherwise)."""
    return subprocess.run(
        [sys.executable, "-m", "readerapp", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env if env is not None else {**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_screenshot_of_the_starter_library(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    result = launch("--home", str(tmp_path / "lib"), "--screenshot", str(png))
    assert result.returncode == 0, result.stderr
    image = pymupdf.Pixmap(str(png))
    assert image.width >= 640 and image.height >= 480
    # not a blank window: many distinct colours (text, icons, selection)
    assert len(set(image.samples[i : i + 3] for i in range(0, len(image.samples), 997))) > 20


def test_start_up_with_a_database_from_the_future_says_so(tmp_path: Path) -> None:
    import sqlite3

    home = tmp_path / "lib"
    home.mkdir()
    conn = sqlite3.connect(home / "library.sqlite3")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    result = launch("--home", str(home), "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert "newer version of readerapp" in result.stderr and "Traceback" not in result.stderr


def test_a_screenshot_run_leaves_the_window_layout_alone(tmp_path: Path) -> None:
    from readerapp.app import open_services

    home = tmp_path / "lib"
    services = open_services(str(home))
    services.library.set_setting(settings.WINDOW_GEOMETRY, "remembered")
    services.close()
    result = launch("--home", str(home), "--screenshot", str(tmp_path / "s.png"))
    assert result.returncode == 0, result.stderr
    services = open_services(str(home))
    assert services.library.setting(settings.WINDOW_GEOMETRY) == "remembered"
    services.close()


def test_no_display_is_a_sentence_not_an_abort(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = launch("--home", str(tmp_path / "lib"), env=env)
    assert result.returncode == 1
    assert "needs a graphical display" in result.stderr and "Traceback" not in result.stderr


def test_the_window_shows_before_pdf_network_and_markdown_libraries_load(tmp_path: Path) -> None:
    """Neither the command line (every feature's subcommands) nor the main window loads PyMuPDF,
    httpx, feedparser, markdown-it or bibtexparser: those arrive after the first paint."""
    probe = (
        "import sys\n"
        "from readerapp.cli import build_parser\n"
        "build_parser()\n"
        "from readerapp.gui.launch import make_application\n"
        "from readerapp.app import open_services\n"
        "from readerapp.gui.main_window import MainWindow\n"
        "app = make_application()\n"
        f"window = MainWindow(open_services({str(tmp_path / 'lib')!r}), defer_features=True)\n"
        "heavy = ('pymupdf', 'httpx', 'feedparser', 'markdown_it', 'bibtexparser')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_screenshot_of_a_paper_waits_for_the_whole_window(qtbot, tmp_path: Path) -> None:
    """`--screenshot --open X`: the Feeds tab and the rest are there too, so that two shots of
    one paper look the same whatever the timing."""
    import argparse

    from readerapp.app import open_services
    from readerapp.gui.launch import prepare_screenshot
    from readerapp.gui.main_window import MainWindow
    from readerapp.services.local_files import add_pdf_file
    from tests.pdf_samples import make_paper

    services = open_services(str(tmp_path / "lib"))
    item = add_pdf_file(services, make_paper(tmp_path / "p.pdf"))
    window = MainWindow(services, defer_features=True)
    qtbot.addWidget(window)
    window.show()
    ready = prepare_screenshot(window, argparse.Namespace(open=str(item.id), page=2))
    assert not window.features_ready and not ready()
    qtbot.waitUntil(ready, timeout=10000)
    assert "Feeds" in [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert window.pdf_tabs.open_tabs()[0].view.current_page() == 1
    window.close()
    services.close()


def test_a_screenshot_of_a_pdf_whose_pages_differ_in_size(tmp_path: Path) -> None:
    """A small first page before a big second one: page 1 can be scrolled to but never fills
    the view most, which once kept the screenshot waiting until it gave up, silently."""
    pdf = tmp_path / "sizes.pdf"
    doc = pymupdf.open()
    doc.new_page(width=200, height=150).insert_text((20, 40), "A small first page")
    doc.new_page(width=1400, height=1900).insert_text((72, 72), "A big second page")
    doc.save(pdf)
    doc.close()
    png = tmp_path / "shot.png"
    result = launch("--home", str(tmp_path / "lib"), "--screenshot", str(png), "--open", str(pdf))
    assert result.returncode == 0, result.stderr
    assert pymupdf.Pixmap(str(png)).width >= 640


def test_a_screenshot_that_never_gets_painted_says_so(
    qtbot, tmp_path: Path, monkeypatch, capsys
) -> None:
    from PySide6.QtWidgets import QWidget

    from readerapp.gui import launch as launch_module

    monkeypatch.setattr(launch_module, "SCREENSHOT_TIMEOUT_MS", 200)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    png = tmp_path / "late.png"
    codes: list[int] = []  # what the app would exit with (not this test run's application)
    launch_module._save_when_ready(codes.append, window, png, lambda: False)
    qtbot.waitUntil(lambda: codes != [], timeout=5000)
    err = capsys.readouterr().err
    assert codes == [1] and png.exists()
    assert "was not fully painted after" in err and str(png) in err
