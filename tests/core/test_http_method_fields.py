"""One rule for every HTTP-method field of every provider: GET or POST in either case, sent upper-case."""

from __future__ import annotations

import json
from typing import Any

import pytest

from launcher.core.models import Account
from launcher.core.providers import all_adapters, get_adapter
from launcher.core.schema import FieldKind, FieldSpec, ProviderSchema
from launcher.core.validate import validate


def method_fields(schema: ProviderSchema) -> list[tuple[str, FieldSpec]]:
    return [(path, spec) for path, spec in schema.walk()
            if spec.kind is FieldKind.ENUM and set(spec.choices) == {"GET", "POST"}]


def test_every_provider_has_method_fields() -> None:
    counts = {pid: len(method_fields(adapter.schema)) for pid, adapter in all_adapters().items()}
    assert counts == {"twilio": 5, "bandwidth": 5, "catapult": 1, "jambonz": 2}


@pytest.mark.parametrize("provider", sorted(all_adapters()))
@pytest.mark.parametrize("typed", ["get", "Get", " get ", "GET"])
def test_lower_or_mixed_case_is_normalized(provider: str, typed: str) -> None:
    for path, spec in method_fields(all_adapters()[provider].schema):
        assert spec.choices_case_insensitive, path
        checked = validate(all_adapters()[provider].schema, _values_with(path, typed))
        assert path not in checked.errors, (path, checked.errors.get(path))
        node: Any = checked.values
        for part in path.split("."):
            node = node[part]
        assert node == "GET", path


def test_anything_else_is_refused_by_every_provider() -> None:
    for adapter in all_adapters().values():
        for path, _spec in method_fields(adapter.schema):
            checked = validate(adapter.schema, _values_with(path, "PUT"))
            assert checked.errors[path] == ["Choose one of: GET, POST."], path


def test_jambonz_webhook_method_goes_out_as_the_feature_server_accepts() -> None:
    """jambonz-api-server passes call_hook.method on unchecked (its own default is "POST"); the feature server
    that requests the hook accepts only "GET" or "POST".  The swagger's enum lists get/post, so the value
    matches the spec ignoring case and what the server uses exactly."""
    adapter = get_adapter("jambonz")
    values = {"application_sid": "0e06a1b0-d49f-4fb8-b973-b5a3c6758de1", "from": "+15083728299",
              "to": {"type": "phone", "number": "+16172375089"},
              "call_hook": {"url": "https://example.com/hook", "method": "get"}}
    checked = validate(adapter.schema, values)
    assert not checked.errors
    account = Account("jambonz", "fef61e75-cec3-496c-a7bc-8368e4d02a04", "key", base_url="https://vg.example.com")
    body = json.loads(adapter.build_create(account, checked.values).body)
    assert body["call_hook"] == {"url": "https://example.com/hook", "method": "GET"}
    assert body["call_hook"]["method"].lower() in ("get", "post")  # the swagger's Webhook.method enum


def _values_with(path: str, value: str) -> dict[str, object]:
    values: dict[str, object] = {}
    node = values
    *parents, last = path.split(".")
    for part in parents:
        child: dict[str, object] = {}
        node[part] = child
        node = child
    node[last] = value
    return values
