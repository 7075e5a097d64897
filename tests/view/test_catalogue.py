"""Every sentence the window shows comes from the one catalogue, launcher/view/messages.py.

The scan reads the launcher/ui sources (without importing Qt) and lists string literals passed to the
calls that put text on screen; only strings without letters (symbols, separators) and the short
allow-list below may be written inline.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import launcher.ui

UI = Path(launcher.ui.__file__).parent

# Calls whose string arguments a person reads.
TEXT_METHODS = frozenset({
    "setText", "setToolTip", "setPlaceholderText", "setWindowTitle", "setStatusTip", "setWhatsThis",
    "setTitle", "setLabelText", "setInformativeText", "setDetailedText", "showMessage", "addAction",
    "addMenu", "addTab", "insertTab", "setTabText", "setTabToolTip", "addButton", "setHeaderLabels",
    "addItem", "addItems", "set_status", "notify", "setSpecialValueText", "setSuffix", "setPrefix",
    "information", "warning", "critical", "question", "about", "getText", "getItem",
    "setAccessibleDescription",
    # the window's own helpers that show a text
    "_action", "confirm", "_ask", "_button", "set_secret_hint", "_show_status", "_say", "_wrapping_label",
})
# Helpers whose later arguments are not shown (an accessible name, a kind of message): only the first counts.
FIRST_ARGUMENT_ONLY = frozenset({"_show_status", "_say", "_wrapping_label", "set_status"})
TEXT_KEYWORDS = frozenset({"text", "tip", "tooltip", "title"})
TEXT_CLASSES = frozenset({
    "QLabel", "QPushButton", "QToolButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QMenu",
    "QMessageBox",
})
KEY_SEQUENCE = re.compile(r"((Ctrl|Alt|Shift|Meta)\+)*(F\d{1,2}|Esc|Return|Enter|[A-Z0-9/]|)")
# Inline texts that stay: names, not sentences (the app's own name, provider-neutral field labels).
ALLOWED: set[tuple[str, str]] = set()


def _literal_texts(node: ast.expr) -> list[str]:
    """String constants in ``node``: plain, in f-strings, or in either branch of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(part.value for part in node.values
                        if isinstance(part, ast.Constant) and isinstance(part.value, str))]
    if isinstance(node, ast.IfExp):
        return _literal_texts(node.body) + _literal_texts(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [text for value in node.values for text in _literal_texts(value)]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [text for element in node.elts for text in _literal_texts(element)]
    return []


def _callee(call: ast.Call) -> str:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return ""


def inline_texts(source: str) -> list[tuple[int, str]]:
    """(line, text) of each user-facing literal with letters in it, outside the catalogue."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or _callee(node) not in TEXT_METHODS | TEXT_CLASSES:
            continue
        positional = node.args[:1] if _callee(node) in FIRST_ARGUMENT_ONLY else node.args
        for arg in [*positional, *(keyword.value for keyword in node.keywords if keyword.arg in TEXT_KEYWORDS)]:
            found += [(node.lineno, text) for text in _literal_texts(arg)
                      if any(ch.isalpha() for ch in text) and not KEY_SEQUENCE.fullmatch(text)]
    return found


def test_the_scan_finds_inline_texts_in_every_shape() -> None:
    source = (
        'label.setText("Hello there")\n'
        'button = QPushButton(f"Call {number}")\n'
        'self.set_status("Saved" if ok else "Not saved")\n'
        'QMessageBox.warning(self, "Careful", messages.DONE)\n'
        'label.setText("—")\n'
        'label.setText(messages.HELLO)\n'
        '_action(window, messages.QUIT, quit, ["Ctrl+Q", "F1"], tip="Leave")\n'
    )
    assert inline_texts(source) == [(1, "Hello there"), (2, "Call "), (3, "Saved"), (3, "Not saved"),
                                     (4, "Careful"), (7, "Leave")]


def test_window_sources_take_their_words_from_the_catalogue() -> None:
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        relative = path.relative_to(UI).as_posix()
        for line, text in inline_texts(path.read_text(encoding="utf-8")):
            if (relative, text) not in ALLOWED:
                offenders.append(f"{relative}:{line}: {text!r}")
    assert offenders == []
