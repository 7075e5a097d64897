"""The one scrubber: every form of every secret, longest first, in text, JSON values and exceptions."""

from __future__ import annotations

import base64
import html
import json
from urllib.parse import quote

from launcher.core.errors import ProviderError
from launcher.core.scrub import REDACTED, ScrubbedStream, Scrubber, unscrubbed

SECRET = 'p@ss w/rd"+&é<'


def test_every_form_of_a_secret_is_replaced() -> None:
    scrubber = Scrubber()
    scrubber.add_basic("AC123", SECRET)
    basic = base64.b64encode(f"AC123:{SECRET}".encode()).decode()
    forms = [SECRET, quote(SECRET, safe=""), quote(SECRET, safe="").replace("%20", "+"), json.dumps(SECRET)[1:-1],
             json.dumps(SECRET, ensure_ascii=False)[1:-1], html.escape(SECRET), basic, basic.rstrip("=")]
    for form in forms:
        assert scrubber.text(f"<{form}>") == f"<{REDACTED}>", form


def test_a_longer_secret_that_holds_a_shorter_one_leaves_no_tail() -> None:
    scrubber = Scrubber(["abc", "abcdef-longer"])
    assert scrubber.text("x abcdef-longer y abc") == f"x {REDACTED} y {REDACTED}"


def test_authorization_values_are_replaced_even_when_unknown_but_placeholders_stay() -> None:
    scrubber = Scrubber()
    assert scrubber.text("Authorization: Bearer eyJunknown.token") == f"Authorization: Bearer {REDACTED}"
    curl = '-H "Authorization: Bearer $(curl -X POST https://id.example.com/token)"'
    assert scrubber.text(curl) == curl  # the token fetched by an inner curl is not a secret to hide


def test_json_values_and_exceptions_are_scrubbed_whole() -> None:
    scrubber = Scrubber(["s3cret-value"])
    assert scrubber.json({"s3cret-value": ["a s3cret-value", 1, None]}) == {REDACTED: [f"a {REDACTED}", 1, None]}
    error = ProviderError("bad s3cret-value", raw={"echo": "s3cret-value"}, hint="not s3cret-value")
    scrubber.exception(error)
    assert (error.message, error.raw, error.hint, str(error)) == (
        f"bad {REDACTED}", {"echo": REDACTED}, f"not {REDACTED}", f"bad {REDACTED}")


def test_a_scrubbed_stream_scrubs_writes_and_gives_the_stream_for_a_reveal() -> None:
    import io

    from launcher.core.scrub import SCRUBBER

    SCRUBBER.add("stream-secret-1")
    inner = io.StringIO()
    stream = ScrubbedStream(inner)
    print("key stream-secret-1", file=stream)
    print("key stream-secret-1", file=unscrubbed(stream))
    assert inner.getvalue() == f"key {REDACTED}\nkey stream-secret-1\n"
