"""`call-launcher sandbox` prints its public test credentials in clear: its "try" lines run as printed."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest


@pytest.fixture(scope="module")
def banner_lines() -> Iterator[list[str]]:
    """The banner of a running sandbox, which serves until the module's tests are done."""
    process = subprocess.Popen([sys.executable, "-m", "launcher", "sandbox", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    lines: list[str] = []
    try:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Stop with Ctrl+C."):
                break
        yield lines
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def send_as_printed(curl: str) -> httpx.Response:
    """The request a printed curl line makes: URL, --header / -H, --data-raw / -d, -u."""
    words = shlex.split(curl)[1:]
    url, headers, body, auth = "", {}, None, None
    while words:
        word = words.pop(0)
        if word in ("--header", "-H"):
            name, _, value = words.pop(0).partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("--data-raw", "-d"):
            body = words.pop(0)
        elif word == "-u":
            user, _, password = words.pop(0).partition(":")
            auth = (user, password)
        elif word in ("--request", "-X"):
            assert words.pop(0) == "POST"
        elif word.startswith("http"):
            url = word
    return httpx.post(url, headers=headers, content=body, auth=auth)


def test_the_jambonz_try_line_places_a_call_as_printed(banner_lines: list[str]) -> None:
    lines = banner_lines
    start = lines.index("Cognigy VG / jambonz")
    curl = next(line for line in lines[start:] if line.startswith("  try ")).removeprefix("  try").strip()
    secret = next(line for line in lines[start:] if line.startswith("  secret ")).split()[-1]
    response = send_as_printed(curl)
    assert response.status_code == 201, response.text
    assert f"Authorization: Bearer {secret}" in curl
    assert response.json()["sid"]
