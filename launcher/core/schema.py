"""Field schemas: what a provider's create-call request accepts, as data.

A :class:`ProviderSchema` is a tree of :class:`FieldSpec`.  The GUI builds its form from it, the CLI
parses ``--set`` values with it, the validator checks values against it and the sandbox reuses the
same validator.  Nothing here knows about HTTP or Qt.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


class FieldKind(enum.StrEnum):
    """The editor and validation family of a field."""

    PHONE = "phone"  # a telephone endpoint: E.164, plus the extra forms a provider accepts
    SIP_URI = "sip_uri"
    URL = "url"
    ENUM = "enum"
    BOOL = "bool"
    INT = "int"
    NUMBER = "number"
    TEXT = "text"
    LIST = "list"  # a list of strings, optionally restricted to ``choices``
    MAP = "map"  # string keys to scalar values
    OBJECT = "object"  # a nested group of fields (``children``)


class Endpoint(enum.StrEnum):
    """Forms a PHONE field may take besides an E.164 number."""

    E164 = "e164"
    SIP = "sip"  # sip:user@host (or sips: where allowed)
    CLIENT = "client"  # Twilio Client identifier: client:alice
    BARE_NUMBER = "bare_number"  # digits with or without a leading + (jambonz forwards them as-is)
    TEXT = "text"  # any other text, sent as typed (jambonz accepts any caller string; a rule may warn)


BASIC = "basic"


@dataclass(frozen=True)
class FieldSpec:
    """One request parameter.

    ``name`` is the wire name exactly as the provider spells it; ``path`` in messages is the dotted
    chain of wire names from the top of the request (``to.number``).
    """

    name: str
    label: str
    kind: FieldKind
    help: str = ""
    required: bool = False
    default: Any = None
    group: str = BASIC  # BASIC, or the title of an advanced group ("Recording", "Callbacks", ...)
    choices: tuple[str, ...] = ()  # ENUM values, or allowed LIST items when set
    choices_case_insensitive: bool = False
    minimum: float | None = None
    maximum: float | None = None
    decimals: int = 0  # NUMBER: digits after the point the editor offers
    min_length: int | None = None
    max_length: int | None = None
    soft_max_length: int | None = None  # an older document's stricter limit: a warning, not an error
    soft_max_note: str = ""
    pattern: str | None = None  # full-match regular expression for TEXT
    pattern_message: str = ""
    endpoints: frozenset[Endpoint] = frozenset({Endpoint.E164})
    special_values: tuple[str, ...] = ()  # literal strings also accepted (Bandwidth "Anonymous")
    allow_https_only: bool = False  # URL: reject http://
    max_items: int | None = None  # LIST / MAP
    item_max_length: int | None = None  # LIST items, MAP values
    key_pattern: str | None = None  # MAP keys
    key_message: str = ""
    children: tuple[FieldSpec, ...] = ()  # OBJECT members
    # OBJECT whose "type" member picks which other members apply: ((type value, member names), ...)
    variants: tuple[tuple[str, tuple[str, ...]], ...] = ()
    secret: bool = False  # never remembered, redacted in inspectors and history
    meaning: str | None = None  # shared meaning across providers ("to", "from", "ring_timeout")
    placeholder: str = ""
    unit: str = ""  # "s", "ms": shown next to numeric editors

    @property
    def advanced(self) -> bool:
        return self.group != BASIC

    def child(self, name: str) -> FieldSpec | None:
        for spec in self.children:
            if spec.name == name:
                return spec
        return None

    def to_json(self) -> dict[str, Any]:
        """A plain description for ``providers --json`` and other tools."""
        data: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "kind": self.kind.value,
            "required": self.required,
            "group": self.group,
            "help": self.help,
        }
        if self.default is not None:
            data["default"] = self.default
        constraints: dict[str, Any] = {}
        for key in (
            "minimum", "maximum", "min_length", "max_length", "soft_max_length", "pattern",
            "max_items", "item_max_length", "key_pattern",
        ):
            value = getattr(self, key)
            if value is not None:
                constraints[key] = value
        if self.choices:
            constraints["choices"] = list(self.choices)
        if self.kind is FieldKind.NUMBER:
            constraints["decimals"] = self.decimals
        if self.kind is FieldKind.PHONE:
            constraints["endpoints"] = sorted(e.value for e in self.endpoints)
        if self.special_values:
            constraints["special_values"] = list(self.special_values)
        if self.allow_https_only:
            constraints["https_only"] = True
        if constraints:
            data["constraints"] = constraints
        if self.secret:
            data["secret"] = True
        if self.meaning:
            data["meaning"] = self.meaning
        if self.unit:
            data["unit"] = self.unit
        if self.children:
            data["children"] = [c.to_json() for c in self.children]
        return data


Values = Mapping[str, Any]
"""Request values keyed by wire name; OBJECT fields hold nested mappings."""

Problem = tuple[str, str]
"""(field path, message) produced by a cross-field rule."""

CrossRule = Callable[[Values], Iterable[Problem]]


@dataclass(frozen=True)
class ProviderSchema:
    """Every field of one provider's create-call request plus its cross-field rules.

    ``rules`` run on values that already passed the per-field checks (normalized and typed); each
    yields the problems it finds.  ``warning_rules`` yield advice that does not block a call.
    """

    fields: tuple[FieldSpec, ...]
    rules: tuple[CrossRule, ...] = ()
    warning_rules: tuple[CrossRule, ...] = ()
    groups: tuple[str, ...] = field(default=())  # advanced group order for the form

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"duplicate field names in schema: {names}")

    def field(self, path: str) -> FieldSpec | None:
        """The spec at a dotted path, or None."""
        parts = path.split(".")
        specs: tuple[FieldSpec, ...] = self.fields
        found: FieldSpec | None = None
        for part in parts:
            found = next((s for s in specs if s.name == part), None)
            if found is None:
                return None
            specs = found.children
        return found

    def walk(self) -> Iterator[tuple[str, FieldSpec]]:
        """Every (path, spec) pair, depth first."""

        def visit(prefix: str, specs: tuple[FieldSpec, ...]) -> Iterator[tuple[str, FieldSpec]]:
            for spec in specs:
                path = f"{prefix}{spec.name}"
                yield path, spec
                yield from visit(path + ".", spec.children)

        return visit("", self.fields)

    def by_meaning(self, meaning: str) -> str | None:
        for path, spec in self.walk():
            if spec.meaning == meaning:
                return path
        return None

    def group_order(self) -> list[str]:
        seen: list[str] = [BASIC]
        for group in self.groups:
            if group not in seen:
                seen.append(group)
        for spec in self.fields:
            if spec.group not in seen:
                seen.append(spec.group)
        return seen

    def to_json(self) -> list[dict[str, Any]]:
        return [f.to_json() for f in self.fields]


_SECRET_PATHS: dict[int, tuple[ProviderSchema, frozenset[str]]] = {}  # by id(schema), the schema kept alive


def secret_paths(schema: ProviderSchema) -> set[str]:
    """Paths of the secret fields at any depth (worked out once per schema: every request asks)."""
    known = _SECRET_PATHS.get(id(schema))
    if known is None or known[0] is not schema:
        known = _SECRET_PATHS[id(schema)] = (schema, frozenset(path for path, spec in schema.walk() if spec.secret))
    return set(known[1])
