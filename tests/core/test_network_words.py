"""Network failures are told in a person's words: the host, the likely cause, no library text."""

from __future__ import annotations

import socket

import httpx
import pytest

from launcher.core.calls import transport_error

REQUEST = httpx.Request("POST", "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json")


def connect_error(text: str, cause: BaseException, request: httpx.Request = REQUEST) -> httpx.ConnectError:
    error = httpx.ConnectError(text, request=request)
    error.__cause__ = cause
    return error


def test_unresolvable_host_names_the_host_and_the_likely_cause() -> None:
    error = transport_error(connect_error("[Errno -2] Name or service not known",
                                           socket.gaierror(-2, "Name or service not known")), request_sent=False)
    assert error.message == "Can't reach api.twilio.com — offline, or a proxy? The name api.twilio.com was not found."
    assert error.hint == "Nothing was sent."
    assert not error.request_sent


def test_refused_connection_names_host_and_port() -> None:
    request = httpx.Request("POST", "https://127.0.0.1:9443/v1/Accounts/x/Calls")
    error = transport_error(connect_error("[Errno 111] Connection refused", ConnectionRefusedError(111, "refused"),
                                           request), request_sent=False)
    assert error.message == ("Can't reach 127.0.0.1:9443 — the connection was refused. Is the server running "
                             "and the port right?")


def test_connect_timeout_says_offline_or_proxy() -> None:
    request = httpx.Request("POST", "https://api.twilio.com/x", extensions={"timeout": {"connect": 5.0}})
    error = transport_error(httpx.ConnectTimeout("timed out", request=request), request_sent=False)
    assert error.message == ("Can't reach api.twilio.com — no answer within 5 s. Offline, or a proxy or firewall "
                             "in the way?")


@pytest.mark.parametrize("cause", [socket.gaierror(-3, "Temporary failure in name resolution"),
                                   ConnectionRefusedError(111, "Connection refused"), OSError(101, "Network down")])
def test_no_library_words_and_no_blame_on_a_base_url(cause: BaseException) -> None:
    error = transport_error(connect_error(f"[Errno {cause.args[0]}] {cause.args[1]}", cause), request_sent=False)
    text = f"{error.message} {error.hint}"
    assert "Errno" not in text and "base URL" not in text and "api.twilio.com" in text
