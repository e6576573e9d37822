"""One GUI per library: a second launch asks the running one to come to the front, then exits.

The knock is one message over a local socket: ``activate``, then one ``open<TAB>path`` line per
file the later launch was given. On Linux and macOS it is a Unix domain socket handled with
Python's ``socket`` and a QSocketNotifier, so start-up does not load QtNetwork; elsewhere it is
QLocalServer/QLocalSocket (a named pipe on Windows).
"""

from __future__ import annotations

import os
import tempfile
import zlib
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

_MESSAGE = b"activate\n"
_OPEN = "open\t"  # one line per file to open, after the knock
_UNIX = os.name == "posix"


def server_name(library_root: str) -> str:
    """A per-user, per-library name, so two different libraries can be open side by side."""
    digest = f"{zlib.crc32(os.path.realpath(library_root).encode()):08x}"
    user = os.environ.get("USER") or os.environ.get("USERNAME") or str(os.getuid())
    return f"readerapp-{user}-{digest}"


def socket_path(name: str) -> str:
    """Where the Unix socket for ``name`` lives: the user's runtime dir, else the temp dir."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = runtime if runtime and os.path.isdir(runtime) else tempfile.gettempdir()
    return os.path.join(base, name)


def _unix_socket() -> Any:
    """A Unix stream socket made with ``_socket``, the C module under ``socket``.

    Importing ``socket`` builds enums of every address family and socket type, 3-4 ms of each
    launch; knocking and listening need nothing it adds. (Accepting, long after start-up, wraps
    the listener in a ``socket.socket``.)
    """
    import _socket

    return _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)


def _message(files: Sequence[str]) -> bytes:
    lines = "".join(f"{_OPEN}{os.path.abspath(f)}\n" for f in files if "\n" not in f)
    return _MESSAGE + lines.encode()


def notify_running_instance(name: str, timeout_ms: int = 500, files: Sequence[str] = ()) -> bool:
    """True if another instance is listening and was asked to show itself (and open ``files``)."""
    if _UNIX:
        sock = _unix_socket()
        try:
            sock.settimeout(timeout_ms / 1000)
            sock.connect(socket_path(name))
            sock.sendall(_message(files))
        except OSError:  # nobody listening (or a stale socket file): this is the first
            return False
        finally:
            sock.close()
        return True
    from PySide6.QtNetwork import QLocalSocket

    local = QLocalSocket()
    local.connectToServer(name)
    if not local.waitForConnected(timeout_ms):
        return False
    local.write(_message(files))
    local.waitForBytesWritten(timeout_ms)
    local.disconnectFromServer()
    return True


class SingleInstanceServer(QObject):
    """Listens for later launches; emits ``activationRequested`` when one knocks."""

    activationRequested = Signal()
    filesOpenRequested = Signal(list)  # paths a later launch was given (file manager "Open")

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._socket: Any = None  # socket.socket (Unix) or QLocalServer
        self._notifier: QSocketNotifier | None = None

    def listen(self) -> bool:
        return self._listen_unix() if _UNIX else self._listen_local_server()

    def close(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        if self._socket is None:
            return
        self._socket.close()
        self._socket = None
        if _UNIX:
            try:
                os.unlink(socket_path(self.name))
            except OSError:
                pass

    def _received(self, data: bytes) -> None:
        if not data.startswith(_MESSAGE.strip()):
            return
        self.activationRequested.emit()
        lines = data.decode(errors="replace").splitlines()
        files = [line[len(_OPEN) :] for line in lines if line.startswith(_OPEN)]
        if files:
            self.filesOpenRequested.emit(files)

    # ---- Unix domain socket -------------------------------------------------------------------
    def _listen_unix(self) -> bool:
        path = socket_path(self.name)
        sock = _unix_socket()
        try:
            try:
                sock.bind(path)
            except OSError:
                # A socket file nobody answers on (the knock came first): left by a crash.
                os.unlink(path)
                sock.bind(path)
            os.chmod(path, 0o600)  # only this user may knock
            sock.listen(8)
        except OSError:
            sock.close()
            return False
        sock.setblocking(False)
        self._socket = sock
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept_unix)
        return True

    def _accept_unix(self) -> None:
        import socket

        if self._socket is not None and not isinstance(self._socket, socket.socket):
            # The same listening socket (same descriptor, which the notifier watches), now with
            # socket.socket's accept(), which hands back full socket objects.
            self._socket = socket.socket(fileno=self._socket.detach())
            self._socket.setblocking(False)
        while self._socket is not None:
            try:
                conn, _address = self._socket.accept()
            except OSError:  # no connection left to accept (or the socket was closed)
                return
            with conn:
                # The client writes everything at once and then hangs up: read until it has.
                conn.settimeout(1.0)
                data = b""
                try:
                    while chunk := conn.recv(65536):
                        data += chunk
                except OSError:
                    pass
            self._received(data)

    # ---- QLocalServer (Windows) ---------------------------------------------------------------
    def _listen_local_server(self) -> bool:
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.newConnection.connect(self._accept_local)
        self._socket = server
        if server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # a stale socket left by a crashed instance
        return server.listen(self.name)

    def _accept_local(self) -> None:
        # The knock is a few short lines sent right after connecting: read them here rather
        # than keeping per-socket slots alive (closures over sockets outlived the server in tests).
        server = self._socket
        while server is not None and server.hasPendingConnections():
            local = server.nextPendingConnection()
            data = b""
            while local.bytesAvailable() or local.waitForReadyRead(1000):
                data += bytes(local.readAll().data())
            self._received(data)
            local.disconnectFromServer()
            local.deleteLater()
