"""The fault catalogue: how each fault is made, and what every front end must make of it.

A fault is an *endpoint* (a misbehaving loopback server, a port that refuses, a name under
``.invalid``, a TLS server with a self-signed certificate, a socket whose backlog is full) plus, for
a server, the answer it gives to the create request.  Its expectations hold for every provider:

* ``outcome`` - the history status: ``rejected`` (the provider refused), ``failed`` (nothing was
  sent), ``unknown`` (the request may have been sent), ``ended`` (the call went on fine);
* ``exit_code`` - the CLI's: 3 the provider refused, 4 no usable answer, 0 success;
* ``expect`` - words the CLI's stderr, the window's status line / call card and the history error
  must all contain;
* ``creates`` - how many create requests the server must have seen: never more than one.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx

from launcher.core.calls import answer_deadline
from launcher.core.history import AttemptStatus
from tests.faults.providers import KITS, Kit
from tests.faults.server import (
    Action,
    CloseMidBody,
    Drip,
    FaultServer,
    FullBacklog,
    Hold,
    Huge,
    Recorded,
    Reply,
    Reset,
    refused_port,
)

TIMEOUT = httpx.Timeout(0.4, connect=0.25)  # every client of the suite (loopback answers in milliseconds)
# ... except for the unresolvable host: the system resolver answers for ``.invalid`` and may take longer
# than 0.25 s on a loaded machine, which would turn "could not be resolved" into "timed out".
RESOLVING_TIMEOUT = httpx.Timeout(0.4, connect=10.0)
UNRESOLVABLE_ROOT = "https://call-launcher-fault.invalid"
HTML_ERROR = (b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center>"
              b"<h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
HTML_PORTAL = (b"<!DOCTYPE html><html><head><title>Sign in to the hotel Wi-Fi</title></head>"
               b"<body><form action='/login'></form></body></html>")
MAY_HAVE = "may have been placed"


@dataclass(frozen=True)
class Fault:
    id: str
    outcome: AttemptStatus
    exit_code: int
    expect: Callable[[Kit], tuple[str, ...]]
    endpoint: str = "server"  # server | refused | unresolvable | tls | backlog
    answer: Callable[[Kit, str], Action] | None = None  # (kit, server root) -> answer to the create request
    fetches: Callable[[Kit], list[Reply]] = field(default=lambda kit: [])  # answers to the first fetches
    creates: int = 1  # create requests the server must see (exactly)
    slow: bool = False  # pending for a while: the window's responsiveness is checked meanwhile
    cli_expect: Callable[[Kit], tuple[str, ...]] | None = None  # the CLI's words when they differ from the window's

    @property
    def cli_words(self) -> tuple[str, ...]:
        """What the CLI adds for transport failures: whether anything was sent."""
        if self.outcome is AttemptStatus.FAILED:
            return ("nothing was sent",)
        if self.id in TRANSPORT_AFTER_SENDING:
            return ("the request may have reached the provider",)
        return ()


def _body_or(kit: Kit, root: str, fallback: bytes) -> Reply:
    created = kit.create_ok(root)
    return created if created.body else Reply(201, fallback, {"Content-Type": "application/json"})


def _truncated(kit: Kit, root: str) -> Reply:
    created = _body_or(kit, root, b'{"id": "c-ci7gv2fzcqvzqbtl6yzq4ib", "state": "started", "from": "+1919555')
    return Reply(created.status, created.body[: len(created.body) // 2], {"Content-Type": "application/json"})


def _error_fault(status: int) -> Fault:
    return Fault(f"http_{status}", AttemptStatus.REJECTED, 3,
                 lambda kit: (f"HTTP {status}", *kit.errors[status].expect),
                 answer=lambda kit, root: kit.errors[status].reply)


TRANSPORT_AFTER_SENDING = {"read_timeout", "drip", "reset_after_send", "close_mid_body"}
STATUSES = (400, 401, 403, 404, 409, 415, 422, 429, 500, 503)

FAULTS: tuple[Fault, ...] = (
    # nothing leaves: failed, exit 4, no create at the server
    Fault("refused", AttemptStatus.FAILED, 4,
          lambda kit: ("Can't reach 127.0.0.1:", "the connection was refused", "Nothing was sent"), endpoint="refused",
          creates=0),
    Fault("unresolvable", AttemptStatus.FAILED, 4,
          lambda kit: ("Can't reach call-launcher-fault.invalid — offline, or a proxy?", "Nothing was sent"),
          endpoint="unresolvable", creates=0),
    Fault("tls_self_signed", AttemptStatus.FAILED, 4,
          lambda kit: ("TLS certificate was not accepted", "self-signed certificate", "nothing was sent"),
          endpoint="tls", creates=0),
    Fault("connect_timeout", AttemptStatus.FAILED, 4,
          lambda kit: (f"Can't reach 127.0.0.1 — no answer within {TIMEOUT.connect:g} s",), endpoint="backlog",
          creates=0, slow=True),
    # sent, then no usable answer: unknown, exit 4, exactly one create
    Fault("read_timeout", AttemptStatus.UNKNOWN, 4,
          lambda kit: (f"No answer in time: 127.0.0.1 did not answer within {TIMEOUT.read:g} s",
                       "may or may not have been placed"),
          answer=lambda kit, root: Hold(), slow=True),
    Fault("drip", AttemptStatus.UNKNOWN, 4,
          lambda kit: (f"did not arrive in full within {answer_deadline(TIMEOUT):g} s",
                       "may or may not have been placed"),
          answer=lambda kit, root: Drip(_body_or(kit, root, b'{"id": "c-1"}' + b" " * 400), chunk=1,
                                        interval=0.05), slow=True),
    Fault("reset_after_send", AttemptStatus.UNKNOWN, 4, lambda kit: ("The connection failed", "check before calling"),
          answer=lambda kit, root: Reset()),
    Fault("close_mid_body", AttemptStatus.UNKNOWN, 4,
          lambda kit: ("The connection failed", "check before calling"),
          answer=lambda kit, root: CloseMidBody(_body_or(kit, root, b'{"id": "c-1"}' + b" " * 200), sent=10)),
    # the provider's own refusals: rejected, exit 3
    *(_error_fault(status) for status in STATUSES),
    Fault("html_error_page", AttemptStatus.REJECTED, 3, lambda kit: ("HTTP 502", "502 Bad Gateway", "gateway failed"),
          answer=lambda kit, root: Reply(502, HTML_ERROR, {"Content-Type": "text/html"})),
    Fault("empty_error_body", AttemptStatus.REJECTED, 3, lambda kit: ("HTTP 500", "(empty body)"),
          answer=lambda kit, root: Reply(500, b"")),
    Fault("truncated_error_json", AttemptStatus.REJECTED, 3, lambda kit: ("HTTP 400",),
          answer=lambda kit, root: Reply(400, kit.errors[400].reply.body[:20], {"Content-Type": "application/json"})),
    Fault("huge_error_body", AttemptStatus.REJECTED, 3, lambda kit: ("HTTP 500", "larger than 4 MB"),
          answer=lambda kit, root: Huge(500, headers={"Content-Type": "text/html"})),
    # a success status with an answer that cannot be read: unknown (the call may exist), exit 4
    Fault("empty_2xx_body", AttemptStatus.UNKNOWN, 4, lambda kit: ("could not be read", MAY_HAVE),
          answer=lambda kit, root: Reply(201, b"")),
    Fault("truncated_2xx_json", AttemptStatus.UNKNOWN, 4, lambda kit: ("could not be read", MAY_HAVE),
          answer=_truncated),
    Fault("html_2xx_page", AttemptStatus.UNKNOWN, 4, lambda kit: ("could not be read", MAY_HAVE),
          answer=lambda kit, root: Reply(200, HTML_PORTAL, {"Content-Type": "text/html"})),
    Fault("huge_2xx_body", AttemptStatus.UNKNOWN, 4, lambda kit: ("larger than 4 MB", MAY_HAVE),
          answer=lambda kit, root: Huge(201, headers={"Content-Type": "application/json"})),
    # created, then the call is not found for a moment (Bandwidth's near-realtime state): followed to the end
    Fault("not_found_after_create", AttemptStatus.ENDED, 0,
          lambda kit: ("no longer knows it",) if kit.id == "jambonz" else ("They hung up",),
          answer=lambda kit, root: kit.create_ok(root),
          cli_expect=lambda kit: ("no longer knows it",) if kit.id == "jambonz" else ("completed",),
          fetches=lambda kit: [kit.not_found, kit.not_found]),
)
FAULT_IDS = tuple(fault.id for fault in FAULTS)
BY_ID = {fault.id: fault for fault in FAULTS}


@dataclass
class Endpoint:
    root: str  # what stands for the provider's API host
    server: FaultServer | None  # None when no server can see anything (refused, unresolvable, backlog)

    @property
    def creates(self) -> int:
        return self.server.creates if self.server is not None else 0

    def fetches(self) -> list[Recorded]:
        return self.server.matching(lambda record: record.method == "GET") if self.server is not None else []


@contextlib.contextmanager
def open_endpoint(fault: Fault, kit: Kit, tls: ssl.SSLContext) -> Iterator[Endpoint]:
    """The fault's endpoint, up for the duration of the block."""
    if fault.endpoint == "refused":
        yield Endpoint(f"http://127.0.0.1:{refused_port()}", None)
        return
    if fault.endpoint == "unresolvable":
        yield Endpoint(UNRESOLVABLE_ROOT, None)
        return
    if fault.endpoint == "backlog":
        with FullBacklog() as backlog:
            yield Endpoint(backlog.url, None)
        return
    roots: list[str] = []
    fetch_answers = list(fault.fetches(kit))

    def on_create(record: Recorded) -> Action:
        assert fault.answer is not None or fault.endpoint == "tls"
        return fault.answer(kit, roots[0]) if fault.answer is not None else kit.create_ok(roots[0])

    def on_fetch(record: Recorded) -> Action:
        return fetch_answers.pop(0) if fetch_answers else kit.state(True)

    script = kit.script(on_create, on_fetch)
    server = FaultServer(script, tls=tls if fault.endpoint == "tls" else None, is_create=kit.is_create)
    roots.append(server.url)
    try:
        yield Endpoint(server.url, server)
    finally:
        server.stop()


def kit_and_fault(provider: str, fault_id: str) -> tuple[Kit, Fault]:
    return KITS[provider], BY_ID[fault_id]
