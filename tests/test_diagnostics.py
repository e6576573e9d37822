"""What went wrong is written down where the user can find it: the log file, crash reports with
their tracebacks, a fault log for hard crashes, and a sentence instead of a traceback."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from readerapp.cli import main
from readerapp.diagnostics import (
    FAULT_FILE,
    LOG_BACKUPS,
    LOG_BYTES,
    LOG_FILE,
    Diagnostics,
    log_folder,
)


def _run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_logs_live_with_a_library_given_by_flag_or_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert log_folder(str(tmp_path / "lib")) == tmp_path / "lib" / "logs"
    monkeypatch.setenv("READERAPP_HOME", str(tmp_path / "env-lib"))
    assert log_folder(None) == tmp_path / "env-lib" / "logs"
    monkeypatch.delenv("READERAPP_HOME")
    state = Path(str(tmp_path / "state"))
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    assert log_folder(None).is_relative_to(state)  # platformdirs' user log dir


def test_debug_writes_the_log_file_and_stderr(tmp_path: Path, capsys) -> None:
    home = tmp_path / "lib"
    assert main(["--home", str(home), "--debug", "topics"]) == 0
    assert "readerapp topics: --home" in capsys.readouterr().err
    assert "readerapp topics" in (home / "logs" / LOG_FILE).read_text(encoding="utf-8")


def test_the_log_is_kept_to_a_few_files_of_a_megabyte(tmp_path: Path) -> None:
    diagnostics = Diagnostics(tmp_path / "logs")
    diagnostics.start()
    try:
        line = "x" * 500
        for n in range((LOG_BACKUPS + 2) * LOG_BYTES // 500):
            logging.getLogger("readerapp.test").warning("%d %s", n, line)
    finally:
        diagnostics.stop()
    files = sorted(p.name for p in (tmp_path / "logs").iterdir() if p.name.startswith(LOG_FILE))
    assert files == [LOG_FILE] + [f"{LOG_FILE}.{n}" for n in range(1, LOG_BACKUPS + 1)]
    assert all(p.stat().st_size <= LOG_BYTES for p in (tmp_path / "logs").iterdir())
    newest = (tmp_path / "logs" / LOG_FILE).read_text(encoding="utf-8").splitlines()[-1]
    assert newest.endswith(line) and " WARNING readerapp.test " in newest


def test_a_quiet_run_writes_no_log_file(tmp_path: Path, capsys) -> None:
    home = tmp_path / "lib"
    assert main(["--home", str(home), "topics"]) == 0
    assert capsys.readouterr().err == ""
    assert not (home / "logs" / LOG_FILE).exists()


def test_an_unhandled_error_leaves_a_crash_report_and_a_sentence(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path\n"
        "from readerapp.diagnostics import Diagnostics\n"
        "Diagnostics(Path('logs')).start()\n"
        "def deep():\n"
        "    raise RuntimeError('the index is inconsistent')\n"
        "deep()\n"
    )
    run = _run_python(code, tmp_path)
    assert run.returncode == 1
    (report,) = (tmp_path / "logs").glob("crash-*.txt")
    text = report.read_text(encoding="utf-8")
    assert "RuntimeError: the index is inconsistent" in text and "in deep" in text
    assert run.stderr.strip() == (
        "readerapp: Something went wrong (RuntimeError: the index is inconsistent); "
        f"a report is in {Path('logs') / report.name}."
    )
    assert "Unhandled exception" in (tmp_path / "logs" / LOG_FILE).read_text(encoding="utf-8")


def test_a_hard_crash_leaves_its_stack_in_the_fault_log(tmp_path: Path) -> None:
    code = (
        "import faulthandler\n"
        "from pathlib import Path\n"
        "from readerapp.diagnostics import Diagnostics\n"
        "Diagnostics(Path('logs')).start()\n"
        "faulthandler._sigsegv()\n"
    )
    run = _run_python(code, tmp_path)
    assert run.returncode != 0
    faults = (tmp_path / "logs" / FAULT_FILE).read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in faults


def test_a_log_folder_that_cannot_be_written_is_a_sentence_not_a_failure(
    tmp_path: Path, capsys
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder would go")
    diagnostics = Diagnostics(blocker / "logs")
    diagnostics.start()
    try:
        assert f"cannot write logs in {blocker / 'logs'}" in capsys.readouterr().err
    finally:
        diagnostics.stop()


def test_open_log_folder_shows_the_folder(qtbot, services, tmp_path: Path) -> None:
    from PySide6.QtCore import QObject, QUrl, Slot
    from PySide6.QtGui import QDesktopServices

    from readerapp.gui.main_window import MainWindow

    class Opened(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[QUrl] = []

        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            self.urls.append(url)

    opened = Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        window = MainWindow(services, remember_state=False, log_folder=tmp_path / "logs")
        qtbot.addWidget(window)
        assert window.log_folder_action.isEnabled()
        window.log_folder_action.trigger()
        assert [url.toLocalFile() for url in opened.urls] == [str(tmp_path / "logs")]
        assert (tmp_path / "logs").is_dir()
        window.unexpectedError.emit("Something went wrong (KeyError: 3); a report is in x.txt.")
        qtbot.waitUntil(lambda: "a report is in x.txt" in window.statusBar().currentMessage())
        assert "Nothing saved was lost" in window.statusBar().currentMessage()
    finally:
        QDesktopServices.unsetUrlHandler("file")
