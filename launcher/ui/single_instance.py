"""One running window per user: a second start hands its link to the first and exits.

The first instance listens on a QLocalServer named after the user and the data folder (so a
portable copy or a test's $CALL_LAUNCHER_HOME gets its own); later starts connect, send one line
of JSON and quit.
"""

from __future__ import annotations

import getpass
import hashlib
import json

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from launcher.core.paths import config_dir

CONNECT_TIMEOUT_MS = 1500


def server_name() -> str:
    digest = hashlib.sha256(f"{getpass.getuser()}|{config_dir()}".encode()).hexdigest()[:16]
    return f"call-launcher-{digest}"


def hand_over(message: dict[str, str], name: str | None = None) -> bool:
    """Send ``message`` to a running instance; False when none is listening."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write((json.dumps(message) + "\n").encode("utf-8"))
    socket.flush()
    if socket.bytesToWrite():
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    # The running instance answers "ok" once it has the message.  A running instance that is too
    # busy to answer still owns the window: starting a second one would be worse than waiting.
    socket.waitForReadyRead(CONNECT_TIMEOUT_MS * 2)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Receives hand-overs from later starts."""

    message_received = Signal(dict)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # left behind by a crashed instance
        return self.server.listen(self.name)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            buffer = bytearray()

            def read(socket: QLocalSocket = socket, buffer: bytearray = buffer) -> None:
                buffer.extend(bytes(socket.readAll().data()))
                if b"\n" not in buffer:
                    return
                line = bytes(buffer).split(b"\n", 1)[0]
                try:
                    message = json.loads(line.decode("utf-8"))
                except ValueError:
                    message = None
                socket.write(b"ok\n")
                socket.flush()
                socket.disconnectFromServer()
                if isinstance(message, dict):
                    self.message_received.emit({str(k): str(v) for k, v in message.items()})

            socket.readyRead.connect(read)
            socket.disconnected.connect(socket.deleteLater)

    def close(self) -> None:
        self.server.close()
