"""A loopback HTTP/1.1 server that misbehaves on purpose, for the fault matrix.

Unlike ``tests/support/loopback.py`` (http.server: always a well-formed answer) this speaks raw
sockets, so a script can answer any way a broken provider, proxy or network can:

* :class:`Reply`       - a complete answer (any status, headers and body, including HTML or a truncated
                         JSON document);
* :class:`Hold`        - read the request, then say nothing until the server stops (read timeout);
* :class:`Gate`        - hold the request until the test opens the gate, then answer;
* :class:`Drip`        - send the answer a few bytes at a time, each gap shorter than the client's read
                         timeout, so only an overall deadline can stop it;
* :class:`CloseMidBody` - send the status line, headers and part of the body, then close;
* :class:`Reset`       - read the request, then reset the connection without a byte of answer;
* :class:`Huge`        - a body of any size, streamed (the client stops reading after its cap).

Every request is recorded with the time it was read; ``creates`` counts the requests a predicate calls
"create", which is what the exactly-once assertions compare.  With ``tls=`` the server speaks TLS
with that context (a self-signed certificate in the tests).  ``listen=False`` binds the port but does
not listen, so connections are refused until :meth:`FaultServer.listen` is called.

Nothing raised in a connection thread escapes it: the tests run with ``filterwarnings = error``, and
the client dropping a connection on purpose is the normal case here.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic() when the request had been read


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Hold:
    """Never answer (until the server stops)."""


@dataclass
class Drip:
    reply: Reply
    chunk: int = 1
    interval: float = 0.05


@dataclass
class CloseMidBody:
    reply: Reply  # the full answer; only ``sent`` bytes of its body leave before the close
    sent: int = 10


@dataclass
class Reset:
    """Close with RST (SO_LINGER 0) right after reading the request."""


@dataclass
class Gate:
    """Hold the request until ``event`` is set (or the server stops), then answer with ``then``."""

    event: threading.Event
    then: Reply


@dataclass
class Huge:
    status: int = 200
    size: int = 5 * 1024 * 1024
    headers: dict[str, str] = field(default_factory=dict)
    filler: bytes = b"x"


Action = Reply | Hold | Gate | Drip | CloseMidBody | Reset | Huge
Script = Callable[[Recorded], Action]

REASONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request",
           401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
           415: "Unsupported Media Type", 422: "Unprocessable Entity", 429: "Too Many Requests",
           480: "Temporarily Unavailable", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable"}


def head(status: int, headers: dict[str, str], length: int) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
    names = {name.lower() for name in headers}
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if "content-length" not in names:
        lines.append(f"Content-Length: {length}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class FaultServer:
    def __init__(self, script: Script, *, tls: ssl.SSLContext | None = None, listen: bool = True,
                 is_create: Callable[[Recorded], bool] | None = None) -> None:
        self.script = script
        self.tls = tls
        self.is_create = is_create or (lambda record: record.method == "POST")
        self.requests: list[Recorded] = []
        self.handshake_failures = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._accepting: threading.Thread | None = None
        if listen:
            self.listen()

    # -- counting -----------------------------------------------------------------------------------
    @property
    def creates(self) -> int:
        with self._lock:
            return sum(1 for record in self.requests if self.is_create(record))

    def matching(self, predicate: Callable[[Recorded], bool]) -> list[Recorded]:
        with self._lock:
            return [record for record in self.requests if predicate(record)]

    # -- life cycle ---------------------------------------------------------------------------------
    def listen(self) -> None:
        """Start accepting (until now connections were refused: the port was bound, not listening)."""
        if self._accepting is not None:
            return
        self._sock.listen(64)
        self._accepting = threading.Thread(target=self._accept_loop, name=f"fault-server-{self.port}", daemon=True)
        self._accepting.start()

    def stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
        with self._lock:
            open_now = list(self._connections)
        for conn in open_now:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._accepting is not None:
            self._accepting.join(timeout=5)
        for thread in list(self._threads):
            thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- serving ------------------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _addr = self._sock.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, raw: socket.socket) -> None:
        conn: socket.socket = raw
        with self._lock:
            self._connections.add(raw)
        try:
            conn.settimeout(10)
            if self.tls is not None:
                try:
                    conn = self.tls.wrap_socket(raw, server_side=True)  # takes over raw's descriptor
                except (ssl.SSLError, OSError):
                    with self._lock:
                        self.handshake_failures += 1
                    return
                with self._lock:
                    self._connections.discard(raw)
                    self._connections.add(conn)
            record = self._read_request(conn)
            if record is None:
                return
            with self._lock:
                self.requests.append(record)
            self._act(conn, self.script(record))
        except Exception:  # the client going away mid-answer is what these faults are about
            pass
        finally:
            with self._lock:
                self._connections.discard(raw)
                self._connections.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()
            with contextlib.suppress(OSError):
                raw.close()

    def _read_request(self, conn: socket.socket) -> Recorded | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head_bytes, _, body = data.partition(b"\r\n\r\n")
        lines = head_bytes.decode("latin-1").split("\r\n")
        method, path, _version = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length") or 0)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return Recorded(method, path, headers, body, time.monotonic())

    def _act(self, conn: socket.socket, action: Action) -> None:
        if isinstance(action, Reply):
            conn.sendall(head(action.status, action.headers, len(action.body)) + action.body)
        elif isinstance(action, Hold):
            self._stopping.wait()
        elif isinstance(action, Gate):
            while not action.event.wait(0.02):
                if self._stopping.is_set():
                    return
            self._act(conn, action.then)
        elif isinstance(action, Drip):
            reply = action.reply
            data = head(reply.status, reply.headers, len(reply.body)) + reply.body
            for start in range(0, len(data), action.chunk):
                if self._stopping.wait(action.interval):
                    return
                conn.sendall(data[start:start + action.chunk])
        elif isinstance(action, CloseMidBody):
            reply = action.reply
            conn.sendall(head(reply.status, reply.headers, len(reply.body)) + reply.body[:action.sent])
        elif isinstance(action, Reset):
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif isinstance(action, Huge):
            conn.sendall(head(action.status, action.headers, action.size))
            block = action.filler * (65536 // len(action.filler))
            left = action.size
            while left > 0 and not self._stopping.is_set():
                piece = block[:left]
                conn.sendall(piece)  # raises once the client has stopped reading and closed
                left -= len(piece)


@contextlib.contextmanager
def fault_server(script: Script, **options: object) -> Iterator[FaultServer]:
    server = FaultServer(script, **options)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


def refused_port() -> int:
    """A loopback port on which nothing listens (bound, never listening): connections are refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


class FullBacklog:
    """A listening socket whose accept queue is full and never drained: a new connection's SYN is
    dropped by the kernel, so connecting hangs until the client's connect timeout.  This is what an
    unreachable host looks like to the client (no answer to SYN), made on loopback only."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(0)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._fillers: list[socket.socket] = []
        for _ in range(4):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError, OSError):
                filler.connect(("127.0.0.1", self.port))
            self._fillers.append(filler)
        time.sleep(0.05)

    def close(self) -> None:
        for filler in self._fillers:
            filler.close()
        self._sock.close()

    def __enter__(self) -> FullBacklog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
