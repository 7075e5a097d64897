"""Stable names for the controls a person uses, for screen readers and UI tests alike.

Each control gets an ``objectName`` (never shown; what a test or an automation tool looks for) and
an ``accessibleName`` (what a screen reader says).  Both come from this one table, so renaming a
label on screen never breaks either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from launcher.ui.history_view import HistoryView
    from launcher.ui.window_base import WindowBase

# objectName -> accessible name
CONTROL_NAMES: dict[str, str] = {
    "profileSelector": "Profile",
    "toField": "To",
    "fromField": "From",
    "callButton": "Call",
    "stopWaitingButton": "Stop waiting",
    "hangUpButton": "Hang up",
    "dialPadButton": "Dial pad",
    "dialPad": "Dial pad keys",
    "liveCallList": "Live and recent calls",
    "historySearch": "Search history",
    "historyResultFilter": "Filter by result",
    "historyTable": "Call history",
}


def name_control(widget: QWidget | None, object_name: str) -> None:
    if widget is not None:
        widget.setObjectName(object_name)
        widget.setAccessibleName(CONTROL_NAMES[object_name])


def name_window_controls(window: WindowBase) -> None:
    """Name the window's fixed controls, and the To and From of the form shown now (call again
    after the form is rebuilt for another provider)."""
    name_control(window.profile_bar.combo, "profileSelector")
    name_control(window.call_button, "callButton")
    name_control(window.cancel_button, "stopWaitingButton")
    name_control(window.dialpad_button, "dialPadButton")
    name_control(window.dialpad, "dialPad")
    name_control(window.calls_panel.call_list, "liveCallList")
    name_control(window.calls_panel.card.hang_up_button, "hangUpButton")
    name_form_fields(window)


def name_history_controls(view: HistoryView) -> None:
    """Name the History tab's controls (built with the tab, possibly after the first paint)."""
    name_control(view.search_edit, "historySearch")
    name_control(view.result_combo, "historyResultFilter")
    name_control(view.table, "historyTable")


def name_form_fields(window: WindowBase) -> None:
    for meaning, object_name in (("to", "toField"), ("from", "fromField")):
        editor = window.form.editor(meaning)
        if editor is not None:
            name_control(editor.focus_target(), object_name)
