"""What went wrong, written down: the rotating log file and crash reports.

Installed as a desktop app there is no console to print to (none at all on Windows), so every
caught unexpected error is logged with its traceback to a file the user can find (Help -> Open Log
Folder), and an error nothing caught leaves a crash report beside it.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from readerapp.storage.paths import HOME_ENV

log = logging.getLogger(__name__)

LOG_FILE = "readerapp.log"
FAULT_FILE = "faults.log"
LOG_BYTES = 1_000_000  # per file; with the backups below at most about 5 MB of logs
LOG_BACKUPS = 4
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def log_folder(home: str | None) -> Path:
    """``<home>/logs`` when a library folder was given (--home or READERAPP_HOME), else the
    user log dir, so a throw-away library keeps its logs with it."""
    home = home or os.environ.get(HOME_ENV)
    if home:
        return Path(home).expanduser() / "logs"
    from platformdirs import user_log_dir  # only when no folder was given

    return Path(user_log_dir("readerapp", appauthor=False))


class _LogFile(logging.Handler):
    """The rotating log file (``logging.handlers.RotatingFileHandler``), made when the first
    record comes: logging.handlers imports socket and pickle, ~7 ms that a launch with nothing
    to log need not pay before its window."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:  # under this handler's lock (Handler.handle takes it)
            from logging.handlers import RotatingFileHandler

            self._file = RotatingFileHandler(
                self.path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
            )
            self._file.setFormatter(self.formatter)
        self._file.emit(record)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


class Diagnostics:
    """The log file, the fault log and the crash-report hooks of one process."""

    def __init__(self, folder: Path, *, debug: bool = False) -> None:
        self.folder = folder
        self.debug = debug
        self._fault_file: IO[str] | None = None
        self._on_crash: Callable[[str], None] | None = None
        self._handlers: list[logging.Handler] = []
        self._root_level = logging.WARNING

    def start(self) -> None:
        """Send the ``logging`` records to the rotating file (and to stderr with --debug), keep
        a fault log for hard crashes, and turn unhandled exceptions into crash reports."""
        root = logging.getLogger()
        self._root_level = root.level
        root.setLevel(logging.DEBUG if self.debug else logging.INFO)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = _LogFile(self.folder / LOG_FILE)  # made on the first record
            if not faulthandler.is_enabled():  # one already on (PYTHONFAULTHANDLER, pytest) stays
                self._fault_file = open(self.folder / FAULT_FILE, "a", encoding="utf-8")  # noqa: SIM115
                faulthandler.enable(self._fault_file)
        except OSError as exc:
            handler = logging.StreamHandler(sys.stderr)
            handler.setLevel(logging.WARNING)
            print(
                f"readerapp: cannot write logs in {self.folder} ({exc.strerror}).", file=sys.stderr
            )
        self._handlers.append(handler)
        if self.debug:
            self._handlers.append(logging.StreamHandler(sys.stderr))
        for added in self._handlers:
            added.setFormatter(logging.Formatter(_FORMAT))
            root.addHandler(added)
        logging.captureWarnings(True)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook

    def on_crash(self, callback: Callable[[str], None] | None) -> None:
        """Show the sentence about an unhandled error with ``callback`` (the GUI's status bar)
        instead of printing it."""
        self._on_crash = callback

    def report(self, exc: BaseException) -> str:
        """Log ``exc`` with its traceback, write it to ``crash-<time>.txt`` in the log folder,
        and return the sentence that tells the user where the report is."""
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        log.critical("Unhandled exception\n%s", text.rstrip())
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = self.folder / f"crash-{stamp}.txt"
        try:
            path.write_text(
                f"readerapp crash report, {datetime.now().isoformat(timespec='seconds')}\n"
                f"Python {sys.version.split()[0]} on {sys.platform}\n\n{text}",
                encoding="utf-8",
            )
            where = f"a report is in {path}"
        except OSError:
            log.exception("Could not write the crash report %s", path)
            where = f"the details are in {self.folder / LOG_FILE}"
        return f"Something went wrong ({type(exc).__name__}: {exc}); {where}."

    def _excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        sentence = self.report(exc.with_traceback(tb))
        if self._on_crash is not None:
            self._on_crash(sentence)
        else:
            print(f"readerapp: {sentence}", file=sys.stderr)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self._excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def stop(self) -> None:
        """Put the hooks back and close the files (tests; the process's end does it otherwise)."""
        sys.excepthook = sys.__excepthook__
        threading.excepthook = threading.__excepthook__
        if self._fault_file is not None:
            faulthandler.disable()
            self._fault_file.close()
            self._fault_file = None
        root = logging.getLogger()
        for handler in self._handlers:
            root.removeHandler(handler)
            handler.close()
        self._handlers.clear()
        root.setLevel(self._root_level)
        logging.captureWarnings(False)
