"""One GUI per library: a second launch asks the running one to come to the front, then exits."""

from __future__ import annotations

import os
import zlib
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

_MESSAGE = b"activate\n"
_OPEN = "open\t"  # one line per file to open, after the knock


def server_name(library_root: str) -> str:
    """A per-user, per-library name, so two different libraries can be open side by side."""
    digest = f"{zlib.crc32(os.path.realpath(library_root).encode()):08x}"
    user = os.environ.get("USER") or os.environ.get("USERNAME") or str(os.getuid())
    return f"readerapp-{user}-{digest}"


def notify_running_instance(name: str, timeout_ms: int = 500, files: Sequence[str] = ()) -> bool:
    """True if another instance is listening and was asked to show itself (and open ``files``)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    lines = "".join(f"{_OPEN}{os.path.abspath(f)}\n" for f in files if "\n" not in f)
    socket.write(_MESSAGE + lines.encode())
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


class SingleInstanceServer(QObject):
    """Listens for later launches; emits ``activationRequested`` when one knocks."""

    activationRequested = Signal()
    filesOpenRequested = Signal(list)  # paths a later launch was given (file manager "Open")

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # a stale socket left by a crashed instance
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    def _on_connection(self) -> None:
        # The knock is one short line sent right after connecting: read it here rather than
        # keeping per-socket slots alive (closures over sockets outlived the server in tests).
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            data = b""
            # The client writes everything at once and then hangs up: read until it has.
            while socket.bytesAvailable() or socket.waitForReadyRead(1000):
                data += bytes(socket.readAll().data())
            if data.startswith(_MESSAGE.strip()):
                self.activationRequested.emit()
                lines = data.decode(errors="replace").splitlines()
                files = [line[len(_OPEN) :] for line in lines if line.startswith(_OPEN)]
                if files:
                    self.filesOpenRequested.emit(files)
            socket.disconnectFromServer()
            socket.deleteLater()
