"""Exact requests as data: headers, secrets, redaction, curl and the HTTP message, value for value.

Pure and fast (no sockets): ``python3 dev.py mutate http`` runs this file for every mutant.
"""

from __future__ import annotations

import base64
import dataclasses

import pytest

from launcher.core.errors import ResponseFormatError
from launcher.core.http import (
    FORM_HEADERS,
    GET_HEADERS,
    JSON_HEADERS,
    REDACTED,
    TOKEN_HEADERS,
    USER_AGENT,
    Auth,
    HttpResponse,
    PreparedRequest,
    form_body,
    json_body,
    snippet,
)

URL = "https://api.example.com/v1/calls"
TOKEN_URL = "https://auth.example.com/token"


def basic(user: str, secret: str) -> str:
    return base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")


def test_fixed_headers_name_the_client_and_the_body_type() -> None:
    assert USER_AGENT == "call-launcher"
    assert FORM_HEADERS == (("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
                            ("User-Agent", "call-launcher"))
    assert JSON_HEADERS == (("Content-Type", "application/json"), ("Accept", "application/json"),
                            ("User-Agent", "call-launcher"))
    assert GET_HEADERS == (("Accept", "application/json"), ("User-Agent", "call-launcher"))
    assert TOKEN_HEADERS == (("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"))


def test_auth_header_per_scheme() -> None:
    assert Auth("basic", "AC1", "tok").header() == f"Basic {basic('AC1', 'tok')}"
    assert Auth("bearer", secret="key-1").header() == "Bearer key-1"
    assert Auth("oauth2", "cid", "cs", TOKEN_URL, token="tok-9").header() == "Bearer tok-9"
    assert Auth("oauth2", "cid", "cs", TOKEN_URL).header() == f"Bearer <access token from {TOKEN_URL}>"


def test_redacted_header_per_scheme() -> None:
    assert Auth("basic", "AC1", "tok").redacted_header() == f"Basic {REDACTED} (user AC1)"
    assert Auth("bearer", secret="key-1").redacted_header() == f"Bearer {REDACTED}"
    assert Auth("oauth2", "cid", "cs", TOKEN_URL, token="t").redacted_header() == (
        f"Bearer {REDACTED} (OAuth 2.0 token for client cid)")


def test_oauth_secrets_are_the_client_secret_the_token_and_the_client_basic_credentials() -> None:
    assert Auth("oauth2", "cid", "cs", TOKEN_URL, token="tok-9").secrets() == ["cs", "tok-9", basic("cid", "cs")]
    assert Auth("oauth2", "cid", "cs", TOKEN_URL).secrets() == ["cs", basic("cid", "cs")]
    assert Auth("bearer").secrets() == []


def test_prepared_request_headers_put_authorization_first() -> None:
    request = PreparedRequest("GET", URL, GET_HEADERS, auth=Auth("bearer", secret="key-1"))
    assert request.all_headers() == [("Authorization", f"Bearer {REDACTED}"), *GET_HEADERS]
    assert request.all_headers(reveal=True) == [("Authorization", "Bearer key-1"), *GET_HEADERS]
    assert PreparedRequest("GET", URL, GET_HEADERS).all_headers(reveal=True) == list(GET_HEADERS)


def test_prepared_request_secrets_skip_empty_body_secrets_and_add_the_auth_ones() -> None:
    request = PreparedRequest("POST", URL, body=b"x", auth=Auth("bearer", secret="key-1"), body_secrets=("", "pin1"))
    assert request.secrets() == ["pin1", "key-1", "key-1"]
    assert PreparedRequest("POST", URL, body_secrets=("", "pin1")).secrets() == ["pin1"]


def test_body_text_redacts_only_with_body_secrets_and_not_when_revealed() -> None:
    form = PreparedRequest("POST", URL, FORM_HEADERS, b"Pin=pin1&To=%2B1", body_secrets=("pin1",))
    assert form.body_text() == f"Pin={REDACTED}&To=%2B1"
    assert form.body_text(reveal=True) == "Pin=pin1&To=%2B1"
    no_secret = PreparedRequest("POST", URL, FORM_HEADERS, b"Pin=pin1", body_secrets=("",))
    assert no_secret.body_text() == "Pin=pin1"
    broken_json = PreparedRequest("POST", URL, JSON_HEADERS, b'{"pin": "pin1"', body_secrets=("pin1",))
    assert broken_json.body_text() == f'{{"pin": "{REDACTED}"'
    json_request = PreparedRequest("POST", URL, JSON_HEADERS, b'{"pin": "pin1", "n": 1}', body_secrets=("pin1",))
    assert json_request.body_text() == f'{{"pin":"{REDACTED}","n":1}}'


def test_content_type_is_found_by_any_case_and_json_by_its_prefix() -> None:
    lower = PreparedRequest("POST", URL, (("content-type", "application/json; charset=utf-8"),))
    assert (lower.content_type(), lower.is_json()) == ("application/json; charset=utf-8", True)
    form = PreparedRequest("POST", URL, FORM_HEADERS)
    assert (form.content_type(), form.is_json()) == ("application/x-www-form-urlencoded", False)
    bare = PreparedRequest("GET", URL, GET_HEADERS)
    assert (bare.content_type(), bare.is_json()) == (None, False)


def test_to_json_decodes_a_json_body_and_keeps_any_other_as_text() -> None:
    request = PreparedRequest("POST", URL, JSON_HEADERS, b'{"to":"+1"}', auth=Auth("bearer", secret="k1"))
    assert request.to_json() == {"method": "POST", "url": URL, "body": {"to": "+1"},
                                 "headers": {"Authorization": f"Bearer {REDACTED}", "Content-Type": "application/json",
                                             "Accept": "application/json", "User-Agent": "call-launcher"}}
    assert request.to_json(reveal=True)["headers"]["Authorization"] == "Bearer k1"
    assert PreparedRequest("POST", URL, JSON_HEADERS, b"{oops").to_json()["body"] == "{oops"
    assert PreparedRequest("POST", URL, JSON_HEADERS).to_json()["body"] == ""
    assert PreparedRequest("POST", URL, FORM_HEADERS, b"A=1").to_json()["body"] == "A=1"


def test_describe_writes_the_http_message() -> None:
    request = PreparedRequest("POST", URL + "?page=2", JSON_HEADERS, b'{"to":"+1"}', auth=Auth("bearer", secret="k1"))
    assert request.describe() == "\n".join([
        "POST /v1/calls?page=2 HTTP/1.1", "Host: api.example.com", f"Authorization: Bearer {REDACTED}",
        "Content-Type: application/json", "Accept: application/json", "User-Agent: call-launcher",
        "", '{\n  "to": "+1"\n}'])
    assert request.describe(reveal=True).splitlines()[2] == "Authorization: Bearer k1"
    assert PreparedRequest("GET", "https://api.example.com:8443/v1", GET_HEADERS).describe() == (
        "GET /v1 HTTP/1.1\nHost: api.example.com:8443\nAccept: application/json\nUser-Agent: call-launcher")
    not_json = PreparedRequest("POST", URL, JSON_HEADERS, b"{oops")
    assert not_json.describe().endswith("User-Agent: call-launcher\n\n{oops")


def test_to_curl_per_auth_scheme() -> None:
    basic_request = PreparedRequest("POST", URL, (("Accept", "application/json"),), b"To=%2B1&Pin=p 1",
                                    auth=Auth("basic", "AC1", "tok"), body_secrets=("p 1",))
    assert basic_request.to_curl() == (
        f"curl -X POST {URL} -u 'AC1:{REDACTED}' -H 'Accept: application/json' --data-raw 'To=%2B1&Pin={REDACTED}'")
    assert basic_request.to_curl(reveal=True) == (
        f"curl -X POST {URL} -u AC1:tok -H 'Accept: application/json' --data-raw 'To=%2B1&Pin=p 1'")
    bearer = PreparedRequest("GET", URL, auth=Auth("bearer", secret="k1"))
    assert bearer.to_curl() == f"curl -X GET {URL} -H 'Authorization: Bearer {REDACTED}'"
    assert bearer.to_curl(reveal=True) == f"curl -X GET {URL} -H 'Authorization: Bearer k1'"
    assert PreparedRequest("GET", URL).to_curl() == f"curl -X GET {URL}"


def test_to_curl_fetches_the_oauth_token_with_an_inner_curl() -> None:
    request = PreparedRequest("GET", URL, auth=Auth("oauth2", "cid", "cs", TOKEN_URL))
    fetch = (f"curl -X POST {TOKEN_URL} -u cid:cs -H 'Content-Type: application/x-www-form-urlencoded' "
             "-H 'Accept: application/json' --data-raw grant_type=client_credentials -sS")
    extract = "sed -E 's/.*\"access_token\" *: *\"([^\"]+)\".*/\\1/'"
    assert request.to_curl(reveal=True) == f'curl -X GET {URL} -H "Authorization: Bearer $({fetch} | {extract})"'
    assert request.to_curl().split(" -H ", 1)[1].startswith(f'"Authorization: Bearer $(curl -X POST {TOKEN_URL} '
                                                          f"-u 'cid:{REDACTED}' ")


def test_http_response_header_text_and_json() -> None:
    response = HttpResponse(201, {"content-type": "application/json"}, b'{"sid": "CA1"}')
    assert (response.header("Content-Type"), response.header("Location")) == ("application/json", None)
    assert response.text() == '{"sid": "CA1"}'
    assert response.json_object() == {"sid": "CA1"}
    assert HttpResponse(200, body=b"\xff").text() == "\ufffd"


def test_http_response_that_is_not_json_says_so() -> None:
    with pytest.raises(ResponseFormatError) as caught:
        HttpResponse(502, body=b"<html><title>Bad Gateway</title></html>").json()
    error = caught.value
    assert (error.message, error.http_status, error.raw) == (
        "The answer (HTTP 502) is not valid JSON: Bad Gateway", 502, "Bad Gateway")
    with pytest.raises(ResponseFormatError) as caught:
        HttpResponse(200, body=b"[1, 2]").json_object()
    error = caught.value
    assert (error.message, error.http_status, error.raw) == (
        "Expected a JSON object (HTTP 200), got list.", 200, [1, 2])


def test_snippet_reduces_html_and_long_text() -> None:
    assert snippet("<html><TITLE lang=en>\n Not  Found </TITLE><body>x</body></html>") == "Not Found"
    assert snippet("<p>Service <b>down</b></p>") == "Service down"
    assert snippet("a < b") == "a < b"
    assert snippet("a > b") == "a > b"
    assert snippet(" \n ") == "(empty body)"
    assert snippet("<br>") == "(empty body)"
    assert snippet("abcde", limit=5) == "abcde"
    assert snippet("abcdef", limit=5) == "abcd…"
    assert snippet("x" * 160) == "x" * 160
    assert snippet("x" * 161) == "x" * 159 + "…"


def test_form_and_json_bodies() -> None:
    assert form_body([("To", "+1 555"), ("StatusCallbackEvent", "ringing"), ("StatusCallbackEvent", "answered"),
                      ("Url", "https://x/y?a=b&c")]) == (
        b"To=%2B1%20555&StatusCallbackEvent=ringing&StatusCallbackEvent=answered&Url=https%3A%2F%2Fx%2Fy%3Fa%3Db%26c")
    assert json_body({"to": "+1", "name": "Zoë"}) == '{"to":"+1","name":"Zoë"}'.encode()


def test_auth_fields_default_to_empty() -> None:
    assert Auth("basic", secret="s").header() == f"Basic {basic('', 's')}"
    assert Auth("basic", secret="s").redacted_header() == f"Basic {REDACTED} (user )"
    assert Auth("oauth2", "cid", "cs").token_request().url == ""
    assert Auth("oauth2", "cid", "cs").header() == "Bearer <access token from >"


def test_requests_auth_and_responses_are_immutable_values() -> None:
    auth = Auth("bearer", secret="k1")
    request = PreparedRequest("GET", URL, auth=auth)
    response = HttpResponse(200)
    with pytest.raises(dataclasses.FrozenInstanceError):
        auth.token = "t2"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.url = "https://elsewhere.example.com/"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        response.status = 500  # type: ignore[misc]
    assert hash(request) == hash(PreparedRequest("GET", URL, auth=Auth("bearer", secret="k1")))


def test_a_body_that_is_not_declared_json_is_shown_as_sent() -> None:
    form = PreparedRequest("POST", URL, FORM_HEADERS, b"[1,2]")
    assert form.to_json()["body"] == "[1,2]"
    assert form.describe().endswith("User-Agent: call-launcher\n\n[1,2]")


def test_body_text_replaces_bytes_that_are_not_utf8() -> None:
    assert PreparedRequest("POST", URL, FORM_HEADERS, b"A=\xff").body_text() == "A=\ufffd"


def test_json_bodies_keep_non_ascii_text_when_redacted_and_described() -> None:
    request = PreparedRequest("POST", URL, JSON_HEADERS, json_body({"name": "Zoë", "pin": "pin1"}),
                              body_secrets=("pin1",))
    assert request.body_text() == f'{{"name":"Zoë","pin":"{REDACTED}"}}'
    assert request.describe().endswith(f'\n\n{{\n  "name": "Zoë",\n  "pin": "{REDACTED}"\n}}')


def test_a_request_hides_its_own_secrets_however_short() -> None:
    request = PreparedRequest("POST", URL, JSON_HEADERS, json_body({"pin": "7", "to": "+1"}), body_secrets=("7",))
    assert request.body_text() == f'{{"pin":"{REDACTED}","to":"+1"}}'
    form = PreparedRequest("POST", URL, FORM_HEADERS, b"Pin=7&To=%2B1", body_secrets=("7",))
    assert form.body_text() == f"Pin={REDACTED}&To=%2B1"


def test_a_secret_with_a_space_is_hidden_whole() -> None:
    assert Auth("bearer", secret="my key").secrets() == ["my key", "my key"]


def test_a_long_answer_that_is_not_json_keeps_2000_characters_for_the_details() -> None:
    with pytest.raises(ResponseFormatError) as caught:
        HttpResponse(500, body=b"x" * 2500).json()
    assert caught.value.raw == "x" * 1999 + "…"
    assert caught.value.message == f"The answer (HTTP 500) is not valid JSON: {'x' * 159}…"
