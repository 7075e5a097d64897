"""The call form generated from a provider's schema, its editors, and the dial pad."""

from launcher.ui.form.base import EditorContext, EditorRegistry, FieldEditor
from launcher.ui.form.dialpad import DialPad
from launcher.ui.form.editors import REGISTRY, default_registry
from launcher.ui.form.form import CallForm

__all__ = ["REGISTRY", "CallForm", "DialPad", "EditorContext", "EditorRegistry", "FieldEditor", "default_registry"]
