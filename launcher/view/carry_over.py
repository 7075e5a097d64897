"""Moving values between providers' forms by shared meaning, and nested-path helpers.  No Qt here.

When the user switches profile, what they typed for To, From, ring timeout, tag... moves onto the new
provider's field with the same ``meaning``.  Application ids and webhook URLs point at things that
belong to one provider account (a TwiML app, a BXML endpoint), so they only move when the provider
stays the same.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from launcher.core.schema import FieldKind, FieldSpec, ProviderSchema
from launcher.core.validate import is_empty

PROVIDER_SPECIFIC_MEANINGS = frozenset({"application_id", "answer_url", "status_url"})


def get_path(values: Mapping[str, Any], path: str) -> Any:
    node: Any = values
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def set_path(values: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = values
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def remove_path(values: dict[str, Any], path: str) -> None:
    """Remove the value at ``path`` and any group it leaves empty."""
    parts = path.split(".")
    chain: list[dict[str, Any]] = [values]
    for part in parts[:-1]:
        child = chain[-1].get(part)
        if not isinstance(child, dict):
            return
        chain.append(child)
    chain[-1].pop(parts[-1], None)
    for depth in range(len(chain) - 1, 0, -1):
        if not chain[depth]:
            chain[depth - 1].pop(parts[depth - 1], None)


def without_paths(values: Mapping[str, Any], paths: set[str]) -> dict[str, Any]:
    result = copy.deepcopy(dict(values))
    for path in sorted(paths, key=len, reverse=True):
        remove_path(result, path)
    return result


def convert(source: FieldSpec, target: FieldSpec, value: Any) -> Any:
    """``value`` of ``source`` as the ``target`` field holds it, or None when it cannot be carried."""
    if target.kind is FieldKind.OBJECT or source.kind is FieldKind.OBJECT:
        return None
    if target.kind is FieldKind.MAP:
        if isinstance(value, Mapping):
            return dict(value)
        if isinstance(value, str):
            try:
                parsed = json.loads(value)
            except ValueError:
                return None
            return parsed if isinstance(parsed, dict) else None
        return None
    if isinstance(value, (Mapping, list, tuple)):
        if target.kind is FieldKind.LIST and isinstance(value, (list, tuple)):
            return list(value)
        return json.dumps(value, ensure_ascii=False) if target.kind is FieldKind.TEXT else None
    if target.kind is FieldKind.LIST:
        return [value]
    return value


def carry_by_meaning(
    old_schema: ProviderSchema, old_values: Mapping[str, Any], new_schema: ProviderSchema, same_provider: bool,
    new_values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """{path in ``new_schema``: value} taken from the fields of ``old_schema`` that share a meaning.

    ``new_values`` are what the new form starts with (a profile's remembered values): provider-specific
    meanings never replace those, since they name the new account's own application or webhooks.
    """
    carried: dict[str, Any] = {}
    for path, spec in old_schema.walk():
        specific = spec.meaning in PROVIDER_SPECIFIC_MEANINGS
        if not spec.meaning or (specific and not same_provider):
            continue
        value = get_path(old_values, path)
        target_path = new_schema.by_meaning(spec.meaning)
        target = new_schema.field(target_path) if target_path else None
        if is_empty(value) or target is None or target_path is None:
            continue
        if specific and not is_empty(get_path(new_values or {}, target_path)):
            continue
        converted = convert(spec, target, value)
        if not is_empty(converted):
            carried[target_path] = converted
    return carried


def with_values_at(base: Mapping[str, Any], updates: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with each ``{dotted path: value}`` of ``updates`` put in place (replacing)."""
    result = copy.deepcopy(dict(base))
    for path, value in updates.items():
        set_path(result, path, copy.deepcopy(value))
    return result
