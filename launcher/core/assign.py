"""Turn ``FIELD=VALUE`` assignments (the CLI's ``--set``) into nested request values.

Dotted paths reach nested fields (``to.type=phone``) and map entries (``sipHeaders.X-Team=blue``);
a list field takes the flag once per item; an OBJECT, MAP or LIST field also takes JSON
(``tag={"ticket": 42}``).
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from launcher.core.schema import FieldKind, FieldSpec, ProviderSchema


class AssignmentError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def apply_assignments(schema: ProviderSchema, assignments: list[str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Values built from ``assignments`` and the problems found, keyed by field path."""
    values: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for text in assignments:
        try:
            _apply(schema, values, text)
        except AssignmentError as exc:
            problems.setdefault(exc.path, []).append(exc.message)
    return values, problems


def _apply(schema: ProviderSchema, values: dict[str, Any], text: str) -> None:
    if "=" not in text:
        raise AssignmentError(text, "Write FIELD=VALUE, for example To=+15555551212.")
    path, value = text.split("=", 1)
    path = path.strip()
    parts = path.split(".")
    specs = schema.fields
    target = values
    walked: list[str] = []
    for index, part in enumerate(parts):
        spec = _find(specs, part, ".".join([*walked, part]))
        walked.append(part)
        here = ".".join(walked)
        rest = parts[index + 1:]
        if spec.kind is FieldKind.OBJECT and rest:
            child = target.setdefault(spec.name, {})
            if not isinstance(child, dict):
                raise AssignmentError(here, "was already set as a whole.")
            target, specs = child, spec.children
            continue
        if spec.kind is FieldKind.MAP and rest:
            entries = target.setdefault(spec.name, {})
            if not isinstance(entries, dict):
                raise AssignmentError(here, "was already set as a whole.")
            key = ".".join(rest)
            if key in entries:
                raise AssignmentError(f"{here}.{key}", "is set twice.")
            entries[key] = value
            return
        if rest:
            raise AssignmentError(path, f"'{here}' has no member '{rest[0]}'.")
        _assign_leaf(spec, target, here, value)
        return


def _assign_leaf(spec: FieldSpec, target: dict[str, Any], path: str, value: str) -> None:
    structured = spec.kind in (FieldKind.OBJECT, FieldKind.MAP, FieldKind.LIST)
    stripped = value.strip()
    if structured and stripped[:1] in ("{", "["):
        try:
            parsed = json.loads(stripped)
        except ValueError as exc:
            raise AssignmentError(path, f"is not valid JSON: {exc}.") from None
        except RecursionError:
            raise AssignmentError(path, "is not usable JSON: it is nested too deeply.") from None
        if spec.name in target:
            raise AssignmentError(path, "is set twice.")
        target[spec.name] = parsed
        return
    if spec.kind is FieldKind.LIST:
        items = target.setdefault(spec.name, [])
        if not isinstance(items, list):
            raise AssignmentError(path, "was already set as a whole.")
        items.append(value)
        return
    if spec.kind in (FieldKind.OBJECT, FieldKind.MAP):
        members = ", ".join(c.name for c in spec.children) or "NAME"
        raise AssignmentError(path, f"is a group: set its members like {path}.{members.split(', ')[0]}=VALUE "
                                    f"(members: {members}), or give JSON.")
    if spec.name in target:
        raise AssignmentError(path, "is set twice.")
    target[spec.name] = value


def _find(specs: tuple[FieldSpec, ...], name: str, path: str) -> FieldSpec:
    for spec in specs:
        if spec.name == name:
            return spec
    lowered = {spec.name.lower(): spec for spec in specs}
    if name.lower() in lowered:
        right = lowered[name.lower()].name
        raise AssignmentError(path, f"Unknown field '{name}'. Did you mean '{right}'? Names are case-sensitive.")
    close = difflib.get_close_matches(name, [s.name for s in specs], n=3)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise AssignmentError(path, f"Unknown field '{name}'.{hint} See 'call-launcher providers'.")
