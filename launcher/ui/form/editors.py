"""Every editor kind, and the default registry that maps a field spec to its editor.

The ranks come from :mod:`launcher.view.editor_ranks` (no Qt there).  A provider that wants its own
editor for some field registers a tester that returns more than 20 for it, on a copy of
:data:`REGISTRY` (``REGISTRY.copy()``) passed to the form.
"""

from __future__ import annotations

from launcher.core.schema import FieldKind
from launcher.ui.form.base import EditorContext, EditorFactory, EditorRegistry, FieldEditor
from launcher.ui.form.choice_editors import BoolEditor, CheckBoolEditor, EnumEditor
from launcher.ui.form.collection_editors import ChoiceListEditor, FreeListEditor, MapEditor
from launcher.ui.form.group_editor import ObjectEditor
from launcher.ui.form.scalar_editors import (
    LongTextEditor,
    NumberEditor,
    PhoneEditor,
    SecretEditor,
    SipUriEditor,
    TextEditor,
    UrlEditor,
)
from launcher.view.editor_ranks import (
    FALLBACK,
    Tester,
    is_choice_list,
    is_long_text,
    is_required_bool,
    is_secret,
    kind_is,
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
