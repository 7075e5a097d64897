"""Every editor kind, and the default registry that maps a field spec to its editor.

Ranks: 1 is the fallback (plain text for anything), 10 an editor made for the field's kind, 20 a
refinement within a kind (secrets, long text, required booleans).  A provider that wants its own
editor for some field registers a tester that returns more than 20 for it, on a copy of
:data:`REGISTRY` (``REGISTRY.copy()``) passed to the form.
"""

from __future__ import annotations

from launcher.core.schema import FieldKind, FieldSpec
from launcher.ui.form.base import EditorContext, EditorFactory, EditorRegistry, FieldEditor, Tester
from launcher.ui.form.choice_editors import BoolEditor, CheckBoolEditor, EnumEditor
from launcher.ui.form.collection_editors import ChoiceListEditor, FreeListEditor, MapEditor
from launcher.ui.form.group_editor import ObjectEditor
from launcher.ui.form.scalar_editors import (
    MARKUP_WORDS,
    LongTextEditor,
    NumberEditor,
    PhoneEditor,
    SecretEditor,
    SipUriEditor,
    TextEditor,
    UrlEditor,
)

__all__ = [
    "REGISTRY",
    "BoolEditor",
    "CheckBoolEditor",
    "ChoiceListEditor",
    "EditorContext",
    "EditorFactory",
    "EditorRegistry",
    "EnumEditor",
    "FieldEditor",
    "FreeListEditor",
    "LongTextEditor",
    "MapEditor",
    "NumberEditor",
    "ObjectEditor",
    "PhoneEditor",
    "SecretEditor",
    "SipUriEditor",
    "Tester",
    "TextEditor",
    "UrlEditor",
    "default_registry",
    "kind_is",
]

FALLBACK, KIND, REFINED = 1, 10, 20
LONG_TEXT_LENGTH = 1000


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


def default_registry() -> EditorRegistry:
    registry = EditorRegistry()
    registry.register(lambda spec: FALLBACK, TextEditor)
    registry.register(kind_is(FieldKind.TEXT), TextEditor)
    registry.register(kind_is(FieldKind.PHONE), PhoneEditor)
    registry.register(kind_is(FieldKind.SIP_URI), SipUriEditor)
    registry.register(kind_is(FieldKind.URL), UrlEditor)
    registry.register(kind_is(FieldKind.ENUM), EnumEditor)
    registry.register(kind_is(FieldKind.BOOL), BoolEditor)
    registry.register(kind_is(FieldKind.INT, FieldKind.NUMBER), NumberEditor)
    registry.register(kind_is(FieldKind.LIST), FreeListEditor)
    registry.register(kind_is(FieldKind.MAP), MapEditor)
    registry.register(kind_is(FieldKind.OBJECT), ObjectEditor)
    registry.register(is_secret, SecretEditor)
    registry.register(is_long_text, LongTextEditor)
    registry.register(is_required_bool, CheckBoolEditor)
    registry.register(is_choice_list, ChoiceListEditor)
    return registry


REGISTRY = default_registry()
"""The editors every form starts from.  Forms take a registry argument; extend a copy of this one."""
