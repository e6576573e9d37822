"""Qt's own messages go to readerapp's log, not to the terminal.

Qt prints its warnings on stderr, where an installed desktop app has nobody to read them and a
command-line user sees noise (the offscreen platform used by ``--screenshot`` announces what it
cannot do on every window). They belong in the log file with everything else.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

# What a platform plugin says it cannot do, not something that went wrong in the app: the
# offscreen platform has no window manager to pass size hints to or to raise a window.
PLATFORM_LIMITS = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
)

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = logging.DEBUG if message in PLATFORM_LIMITS else _LEVELS.get(kind, logging.WARNING)
    log.log(level, "%s (%s)", message, context.category or "qt")


def send_qt_messages_to_log() -> None:
    """Install the handler (once per process, before the QApplication is made)."""
    qInstallMessageHandler(_handle)
