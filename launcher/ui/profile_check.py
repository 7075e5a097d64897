"""*Check profile* in the profile editor: the preflight checklist (``launcher.core.preflight``) for the
settings being edited, without saving them and without placing a call."""

from __future__ import annotations

import asyncio
import html
import re
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton

from launcher.core.errors import LauncherError
from launcher.core.preflight import CheckItem, CheckStatus, passed, preflight
from launcher.core.profiles import Profile
from launcher.ui.profile_bar import status_color
from launcher.ui.profile_editor import ProfileEditor
from launcher.view import messages

CheckProfile = Callable[[Profile, str | None], Awaitable[list[CheckItem]]]
MARKS = {CheckStatus.OK: ("✓", "ok"), CheckStatus.FAILED: ("✗", "error"), CheckStatus.WARNING: ("!", "warn"),
         CheckStatus.SKIPPED: ("–", "")}


class ProfileCheck(QObject):
    """The button and the checklist it fills, added under the editor's *Test connection* row."""

    def __init__(self, editor: ProfileEditor, check: CheckProfile) -> None:
        super().__init__(editor)
        self.editor = editor
        self.check = check
        self.task: asyncio.Task[None] | None = None
        self.button = QPushButton(messages.CHECK_PROFILE)
        self.button.setAccessibleName("Check profile")
        self.button.setToolTip(messages.CHECK_PROFILE_TIP)
        self.button.clicked.connect(self.start)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Profile check result")
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = editor.test_row
        row.insertWidget(1, self.button, 0, Qt.AlignmentFlag.AlignTop)
        column = row.parent()
        if isinstance(column, QBoxLayout):
            column.insertWidget(column.indexOf(row) + 1, self.result)
        editor.finished.connect(self.cancel)
        # like Test connection: only once the settings a request needs are filled in
        self.button.setEnabled(editor.connection_ready)
        editor.connection_ready_changed.connect(self._ready_changed)

    def _ready_changed(self, ready: bool) -> None:
        if self.task is None or self.task.done():
            self.button.setEnabled(ready)

    def start(self) -> None:
        if self.task is not None and not self.task.done():
            return
        self.button.setEnabled(False)
        self.button.setText(messages.CHECKING)
        self.result.setText(messages.CHECKING)
        self.task = asyncio.ensure_future(self._run(self.editor.form.profile(), self.editor.secret_to_test()))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    async def _run(self, profile: Profile, secret: str | None) -> None:
        import httpx

        items: list[CheckItem] = []
        try:
            items = await self.check(profile, secret)
        except (LauncherError, httpx.HTTPError) as exc:
            items = [CheckItem("Check", CheckStatus.FAILED, str(exc) or type(exc).__name__)]
        except Exception as exc:
            items = [CheckItem("Check", CheckStatus.FAILED, messages.unexpected_failure(exc))]
            sys.excepthook(type(exc), exc, exc.__traceback__)
        finally:
            if shiboken6.isValid(self.button):
                self.button.setEnabled(self.editor.connection_ready)
                self.button.setText(messages.CHECK_PROFILE)
        if shiboken6.isValid(self.result):
            self.show_items(items)

    def show_items(self, items: list[CheckItem]) -> None:
        palette = self.result.palette()
        lines = []
        for item in items:
            mark, kind = MARKS[item.status]
            color = status_color(palette, kind) if kind else palette.text().color().name()
            lines.append(f'<span style="color:{color}"><b>{mark} {html.escape(item.name)}</b></span> '
                         f"{html.escape(item.detail)}")
        verdict = "Nothing failed." if passed(items) else "Fix what failed before calling."
        self.result.setText("<br>".join([*lines, f"<i>{verdict}</i>"]))

    def plain_lines(self) -> list[str]:
        """The checklist as text (screen readers and tests)."""
        doc = self.result.text().replace("<br>", "\n")
        return [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in doc.splitlines()]


def attach_profile_check(editor: ProfileEditor, window: Any) -> ProfileCheck:
    """Add *Check profile* to ``editor``; the request fields checked (From, webhook URLs) are the form's
    when the profile is the one shown in the window, else the values last used with it."""
    context = window.context

    def values_for(profile: Profile) -> dict[str, Any]:
        if window.profile is not None and window.profile.id == profile.id:
            return dict(window.form.values())
        return context.manager.last_values(profile) if profile.id else {}

    async def check(profile: Profile, secret: str | None) -> list[CheckItem]:
        return await preflight(context.service, profile, secret, values_for(profile))

    return ProfileCheck(editor, check)
