"""Which editor suits a field: the rank testers the form's editor registry is built from.  No Qt here.

Ranks: 1 is the fallback (plain text for anything), 10 an editor made for the field's kind, 20 a
refinement within a kind (secrets, long text, required booleans).  A tester returns 0 when it does
not apply.
"""

from __future__ import annotations

from collections.abc import Callable

from launcher.core.schema import FieldKind, FieldSpec

Tester = Callable[[FieldSpec], int]

FALLBACK, KIND, REFINED = 1, 10, 20
LONG_TEXT_LENGTH = 1000
MARKUP_WORDS = ("json", "twiml", "xml", "bxml")  # a field named for a document gets a multi-line editor


def kind_is(*kinds: FieldKind, rank: int = KIND) -> Tester:
    def tester(spec: FieldSpec) -> int:
        return rank if spec.kind in kinds else 0
    return tester


def is_secret(spec: FieldSpec) -> int:
    return REFINED if spec.secret and spec.kind is FieldKind.TEXT else 0


def is_long_text(spec: FieldSpec) -> int:
    """Markup or JSON documents, and text that may run to a thousand characters or more."""
    if spec.kind is not FieldKind.TEXT or spec.secret or spec.pattern is not None:
        return 0
    words = f"{spec.name} {spec.label}".lower()
    long_limit = spec.max_length is not None and spec.max_length >= LONG_TEXT_LENGTH
    return REFINED if long_limit or any(word in words for word in MARKUP_WORDS) else 0


def is_required_bool(spec: FieldSpec) -> int:
    return REFINED if spec.kind is FieldKind.BOOL and spec.required else 0


def is_choice_list(spec: FieldSpec) -> int:
    return REFINED if spec.kind is FieldKind.LIST and spec.choices else 0
