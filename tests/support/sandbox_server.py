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
from launcher.sandbox.engine import Clock, Engine, SandboxConfig


class SteppedTime:
    """The sandbox clock's time source: real time (or frozen) plus the jumps a test asks for."""

    def __init__(self, frozen: bool = False) -> None:
        self.frozen = frozen
        self.offset = 0.0

    def __call__(self) -> float:
        return (1000.0 if self.frozen else time.monotonic()) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@dataclass
class RunningSandbox:
    url: str
    engine: Engine
    time: SteppedTime

    def advance(self, sim_seconds: float) -> None:
        """Jump the simulation ahead: calls progress as if ``sim_seconds`` had passed, no waiting."""
        self.time.advance(sim_seconds / self.engine.clock.speed)


@contextmanager
def running_sandbox(speed: float = 50.0, rate_limit: bool = False, engine: Engine | None = None,
                    time_source: SteppedTime | None = None) -> Iterator[RunningSandbox]:
    """The sandbox on loopback; its clock runs on ``time_source`` (``advance`` moves it) unless ``engine`` is given."""
    time_source = time_source or SteppedTime()
    clock = Clock(speed, monotonic=time_source)
    engine = engine or Engine(SandboxConfig(speed=speed, rate_limit=rate_limit), clock=clock)
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
        yield RunningSandbox(f"http://127.0.0.1:{port}", engine, time_source)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
