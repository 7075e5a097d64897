"""Invisible and bidi control characters are refused in every field that becomes a destination."""

from __future__ import annotations

from typing import Any

import pytest

from launcher.core.links import LinkError, parse_link
from launcher.core.providers import all_adapters
from launcher.core.schema import FieldKind, FieldSpec, ProviderSchema
from launcher.core.validate import validate
from launcher.sandbox.app import all_simulators

HIDDEN = ["\u202e", "\u200b", "\u2066", "\u00ad", "\ufeff", "\u0007", "\u2028"]
VALUES = {  # a usable value per kind of destination, the hidden character goes after its first 5 characters
    FieldKind.PHONE: "+1555\x005551313",
    FieldKind.SIP_URI: "sip:a\x00lice@example.com",
    FieldKind.TEXT: "joeb@\x00sip.example.com",
}


def destination_fields(schema: ProviderSchema) -> list[tuple[str, FieldSpec]]:
    """Every field that becomes a destination: phones, SIP URIs, and the text members of a destination group."""
    found: list[tuple[str, FieldSpec]] = []
    groups = {path for path, spec in schema.walk() if spec.kind is FieldKind.OBJECT
              and any(child.kind in (FieldKind.PHONE, FieldKind.SIP_URI) for child in spec.children)}
    for path, spec in schema.walk():
        in_group = any(path.startswith(group + ".") for group in groups)
        if spec.kind in (FieldKind.PHONE, FieldKind.SIP_URI) or (
                in_group and spec.kind is FieldKind.TEXT and not spec.secret):
            found.append((path, spec))
    return found


CASES = [(provider, path, spec) for provider, adapter in all_adapters().items()
         for path, spec in destination_fields(adapter.schema)]


def test_every_provider_has_destination_fields_to_check() -> None:
    paths = {provider: [path for p, path, _ in CASES if p == provider] for provider in all_adapters()}
    assert paths["twilio"][:2] == ["To", "From"]
    assert {"to.number", "to.sipUri", "to.name", "to.trunk", "to.auth.username"} <= set(paths["jambonz"])
    assert "to.auth.password" not in paths["jambonz"]
    assert all(paths.values())


def put(values: dict[str, Any], path: str, value: str) -> dict[str, Any]:
    node = values
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    return values


@pytest.mark.parametrize("char", HIDDEN, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize(("provider", "path", "spec"), CASES, ids=[f"{p}:{path}" for p, path, _ in CASES])
def test_hidden_characters_are_refused_in_destinations(provider: str, path: str, spec: FieldSpec, char: str) -> None:
    values = put(all_simulators()[provider].sample_values(), path, VALUES[spec.kind].replace("\x00", char))
    result = validate(all_adapters()[provider].schema, values, region="US")
    assert path in result.errors, result.errors
    assert f"U+{ord(char):04X}" in result.errors[path][0]
    assert result.errors[path][0].startswith("Contains an invisible or control character")


def test_the_same_text_without_the_character_is_accepted() -> None:
    values = {"application_sid": "0e06a1b0-d49f-4fb8-b973-b5a3c6758de1", "from": "+15083728299",
              "to": {"type": "sip", "sipUri": "sip:alice@example.com"}}
    assert validate(all_adapters()["jambonz"].schema, values).errors == {}
    twilio = {"To": "sip:alice@example.com", "From": "+15555551212", "Url": "https://example.com/t"}
    assert validate(all_adapters()["twilio"].schema, twilio).errors == {}


def test_sip_links_refuse_them_too() -> None:
    with pytest.raises(LinkError, match="U\\+202E RIGHT-TO-LEFT OVERRIDE"):
        parse_link("sip:alice%E2%80%AE@example.com")
