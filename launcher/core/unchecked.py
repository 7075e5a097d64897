"""Sending without local checks: the expert override that lets the provider answer for itself.

Only the field checks are set aside.  Everything that protects the person stays in force, because it
lives elsewhere: credentials only over HTTPS or to loopback (``check_base_url``), no redirects followed
(``CallService``), secrets redacted from history and output (``PreparedRequest``), one create request
per press (``Dialer``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from launcher.core.schema import ProviderSchema, Values
from launcher.core.validate import ValidationResult


@dataclass
class UncheckedRequest:
    values: dict[str, Any]  # what is sent: the validator's values, and as typed where it objected
    skipped: list[str] = field(default_factory=list)  # "path: message" of every check set aside
    unsendable: dict[str, list[str]] = field(default_factory=dict)  # problems no override can send past


def without_local_checks(schema: ProviderSchema, typed: Values, result: ValidationResult) -> UncheckedRequest:
    """The values to send when the person overrides ``result``'s objections to ``typed``.

    A field the schema does not know cannot be sent at all (the request is built from the schema's
    fields), so it stays a problem.
    """
    values = copy.deepcopy(result.values)
    unchecked = UncheckedRequest(values)
    for path, messages in result.errors.items():
        if not path or schema.field(path) is None:
            unchecked.unsendable[path or "request"] = messages
            continue
        unchecked.skipped += [f"{path}: {message}" for message in messages]
        found, raw = _get(typed, path)
        if found:
            _set(values, path, raw)
    return unchecked


def _get(values: Any, path: str) -> tuple[bool, Any]:
    node = values
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, copy.deepcopy(node)


def _set(values: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = values
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[last] = value
