"""Run the sandbox on a real loopback socket (uvicorn in a thread) for tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from launcher.sandbox.app import create_app
from launcher.sandbox.engine import Engine, SandboxConfig


@dataclass
class RunningSandbox:
    url: str
    engine: Engine


@contextmanager
def running_sandbox(speed: float = 50.0, rate_limit: bool = False, engine: Engine | None = None,
                    ) -> Iterator[RunningSandbox]:
    engine = engine or Engine(SandboxConfig(speed=speed, rate_limit=rate_limit))
    app = create_app(engine=engine)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle/delayed-ACK stalls on keep-alive
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", date_header=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    try:
        yield RunningSandbox(f"http://127.0.0.1:{port}", engine)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
