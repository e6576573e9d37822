"""Starting the desktop app: one instance per library, clear start-up errors, screenshot mode."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from readerapp import APP_ID, APP_NAME
from readerapp.app import (
    EarlyIntegrityCheck,
    NotADatabaseError,
    Services,
    StorageError,
    move_aside,
    open_services,
    resolve_home,
)
from readerapp.core.errors import UserError
from readerapp.core.library_paths import outside_library_folder
from readerapp.diagnostics import Diagnostics
from readerapp.qt.qt_messages import send_qt_messages_to_log
from readerapp.qt.shown_as_written import plain_text
from readerapp.qt.single_instance import (
    SingleInstanceServer,
    notify_running_instance,
    server_name,
)
from readerapp.startup_collector import StartupCollectorPause

log = logging.getLogger(__name__)

SCREENSHOT_TIMEOUT_MS = 20000
COLLECTOR_PAUSE_LIMIT_MS = 10_000  # see readerapp/startup_collector.py


def make_application(argv: list[str] | None = None) -> QApplication:
    send_qt_messages_to_log()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)  # the icon comes with the main window, after its first paint
    return app


def open_library_interactively(
    home: str | None, interactive: bool, early_check: EarlyIntegrityCheck | None = None
) -> Services | None:
    """Open the library, offering to move a non-database file aside; None when the user gives up.

    ``early_check`` (see :func:`readerapp.app.start_library_check`) serves the first try only:
    after a file was moved aside or restored, the file it checked is gone."""
    while True:
        try:
            check, early_check = early_check, None
            return open_services(home, early_check=check)
        except NotADatabaseError as exc:
            if not interactive:
                print(f"readerapp: {exc}", file=sys.stderr)
                return None
            if not _ask(
                f"{exc}\n\nMove that file aside (it is kept, renamed) and start a new library?"
            ):
                return None
            moved = move_aside(Path(exc.path))
            print(f"readerapp: moved the old file to {moved}", file=sys.stderr)
        except StorageError as exc:
            print(f"readerapp: {exc}", file=sys.stderr)
            backup = getattr(exc, "newest_backup", None)  # a damaged library, and a good backup
            if interactive and backup:
                if not offer_restore(home, str(exc), backup):
                    return None
                continue
            if interactive:
                _tell(str(exc))
            return None


def _ask(question: str) -> bool:
    """A Yes/No question before the window exists; True for Yes."""
    from PySide6.QtWidgets import QMessageBox  # only on these rare paths: start-up time

    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = QMessageBox(QMessageBox.Icon.Question, "readerapp", question, yes | no)
    return plain_text(box).exec() == yes  # paths and SQLite's words, as written


def _tell(sentence: str) -> None:
    """An error before the window exists."""
    from PySide6.QtWidgets import QMessageBox

    plain_text(QMessageBox(QMessageBox.Icon.Critical, "readerapp", sentence)).exec()


def offer_restore(home: str | None, sentence: str, backup: str) -> bool:
    """Ask to restore the newest good backup into a damaged library; True once it is restored."""
    from readerapp.services.backups import restore_unopened_library

    if not _ask(f"{sentence}\n\nRestore that backup now? The damaged file is kept, renamed."):
        return False
    try:
        outcome = restore_unopened_library(resolve_home(home), backup)
    except UserError as exc:
        _tell(str(exc))
        return False
    print(f"readerapp: {outcome.sentence()}", file=sys.stderr)
    return True


def missing_display() -> str | None:
    """A sentence when Qt would abort for lack of a screen (Linux without X11 or Wayland)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "readerapp needs a graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set); "
        "the command-line commands work without one (`readerapp --help`)."
    )


def run_gui(
    args: argparse.Namespace,
    diagnostics: Diagnostics,
    early_check: EarlyIntegrityCheck | None = None,
    collector_pause: StartupCollectorPause | None = None,
) -> int:
    if sentence := missing_display():
        print(f"readerapp: {sentence}", file=sys.stderr)
        return 1
    app = make_application()
    screenshot = getattr(args, "screenshot", None)
    interactive = not screenshot and QApplication.platformName() != "offscreen"
    paths = resolve_home(args.home)
    if screenshot:
        try:  # a PNG over the database or a paper's PDF would destroy it
            outside_library_folder(paths.root, Path(screenshot))
        except UserError as exc:
            print(f"readerapp: {exc}", file=sys.stderr)
            return exc.exit_code
    name = server_name(str(paths.root))
    files = list(getattr(args, "files", None) or [])
    if not screenshot and notify_running_instance(name, files=files):
        if files:
            what = Path(files[0]).name if len(files) == 1 else f"{len(files)} files"
            print(f"readerapp is already open with this library; opened {what} there.")
        else:
            print("readerapp is already open with this library; brought it to the front.")
        return 0
    services = open_library_interactively(args.home, interactive, early_check)
    if services is None:
        return 1

    from readerapp.gui.main_window import MainWindow

    # A screenshot run must not leave its (offscreen-sized) window layout in the user's library.
    window = MainWindow(
        services,
        defer_features=True,
        remember_state=not screenshot,
        papers=files,  # they open before the first paint: they are what the user sees first
        log_folder=diagnostics.folder,
    )
    diagnostics.on_crash(window.unexpectedError.emit)
    if collector_pause is not None:
        window.featuresReady.connect(collector_pause.end)
        # At the latest: a window that never gets ready must not run without collection.
        QTimer.singleShot(COLLECTOR_PAUSE_LIMIT_MS, collector_pause.end)
    previous_handlers = _close_on_termination(window)
    server = SingleInstanceServer(name, window)
    if not screenshot:
        server.listen()
        server.activationRequested.connect(window.bring_to_front)
        server.filesOpenRequested.connect(window.open_files)
    window.show()
    if screenshot:
        try:
            ready = prepare_screenshot(window, args)
        except UserError as exc:  # X names nothing openable: a sentence, exit 2 (bad input)
            print(f"readerapp: {exc}", file=sys.stderr)
            services.close()
            return exc.exit_code
        QTimer.singleShot(0, lambda: _save_when_ready(app.exit, window, Path(screenshot), ready))
    code = app.exec()
    for number, handler in previous_handlers.items():
        if handler is not None:  # None: a handler not set from Python, which cannot be put back
            signal.signal(number, handler)
    server.close()
    services.close()
    return code


# What signal.signal() returns and accepts: a function, SIG_DFL/SIG_IGN, or None (set outside Python).
SignalHandler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


def _close_on_termination(window: QWidget) -> dict[int, SignalHandler]:
    """SIGTERM and SIGHUP (a logout, ``kill``, a closed terminal) close the window as Quit does,
    so what was just typed is saved. Python runs the handler at the window's next timer tick
    (it looks for outside changes twice a second)."""

    def close(_signum: int, _frame: FrameType | None) -> None:
        QTimer.singleShot(0, window.close)

    previous: dict[int, SignalHandler] = {}
    for name in ("SIGTERM", "SIGHUP"):  # Windows has no SIGHUP
        if hasattr(signal, name):
            number = getattr(signal, name)
            previous[number] = signal.signal(number, close)
    return previous  # put back once the window is gone


def prepare_screenshot(window, args: argparse.Namespace) -> Callable[[], bool]:
    """Set the window up for ``--screenshot`` and return a check that says it is fully painted.

    ``--open X --page N`` opens X in a reading tab (``window.open_for_screenshot``); raises
    UserError (a BadInputError when X names nothing that can be opened).
    """
    target = getattr(args, "open", None)
    if target:
        painted = window.open_for_screenshot(target, getattr(args, "page", None))
        # The whole window too (Feeds tab and all), so two shots of one paper look the same.
        return lambda: window.features_ready and painted()
    return lambda: window.features_ready  # the whole window, Feeds tab and all


def _save_when_ready(
    finish: Callable[[int], None], window, path: Path, ready: Callable[[], bool]
) -> None:
    """Save the window to ``path`` once ``ready()`` (or at the time limit, saying so), then end
    with ``finish(exit code)`` (the application's ``exit``)."""
    waited = 0

    def attempt() -> None:
        nonlocal waited
        try:
            is_ready = ready()
        except Exception as exc:  # a failed open must still end the process with a sentence
            log.exception("The screenshot's window failed")
            print(f"readerapp: {exc}", file=sys.stderr)
            finish(1)
            return
        if not is_ready and waited < SCREENSHOT_TIMEOUT_MS:
            waited += 50
            QTimer.singleShot(50, attempt)
            return
        if not is_ready:  # saved all the same, so there is something to look at
            print(
                f"readerapp: the window was not fully painted after "
                f"{SCREENSHOT_TIMEOUT_MS // 1000} seconds; {path} shows it as it was.",
                file=sys.stderr,
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        ok = window.grab().save(str(path))
        if not ok:
            print(f"readerapp: could not write the screenshot to {path}.", file=sys.stderr)
        window.close()
        finish(0 if ok and is_ready else 1)

    attempt()
