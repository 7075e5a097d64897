"""A keyring that stays locked never loses a new profile: Retry, Keep for this session only, Cancel.
(A locked Secret Service whose unlock prompt is cancelled cannot run here, so the backend is a stand-in
that raises what the real one raises.)"""

from __future__ import annotations

import json
from pathlib import Path

import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from launcher.core.profile_library import ProfileManager
from launcher.core.profiles import ProfileStore
from launcher.core.secrets import KeyringSecrets
from launcher.ui.profile_editor import ProfileEditor

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
SID = "AC0123456789abcdef0123456789abcdef"


class LockedKeyring(keyring.backend.KeyringBackend):
    """Refuses ``refusals`` saves the way a locked collection does, then stores in memory."""

    priority = 1

    def __init__(self, refusals: int) -> None:
        super().__init__()
        self.refusals = refusals
        self.saved: dict[str, str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.refusals:
            self.refusals -= 1
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")
        self.saved[username] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop(username, None)


async def never_called(profile: object, secret: str | None) -> str:
    raise AssertionError("no connection test expected")


def editor_with(qtbot: QtBot, tmp_path: Path, backend: keyring.backend.KeyringBackend) -> tuple[ProfileEditor,
                                                                                                   ProfileManager]:
    manager = ProfileManager(ProfileStore(tmp_path / "profiles.json"), KeyringSecrets(backend))
    editor = ProfileEditor(manager, never_called)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    form = editor.form
    for edit, text in ((form.name_edit, "Support"), (form.account_edit, SID), (form.secret_edit, "typed-secret")):
        edit.setFocus()
        edit.selectAll()
        qtbot.keyClicks(edit, text)
    form.provider_combo.setCurrentIndex(form.provider_combo.findData("twilio"))
    return editor, manager


def press_save_and_get_choice(qtbot: QtBot, editor: ProfileEditor) -> QMessageBox:
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    box = editor.keyring_choice
    assert box is not None and box.isVisible()
    return box


def saved_names(tmp_path: Path) -> list[str]:
    path = tmp_path / "profiles.json"
    return [p["name"] for p in json.loads(path.read_text())["profiles"]] if path.exists() else []


def test_locked_keyring_offers_retry_and_retry_saves(qtbot: QtBot, tmp_path: Path) -> None:
    backend = LockedKeyring(refusals=1)
    editor, _ = editor_with(qtbot, tmp_path, backend)
    box = press_save_and_get_choice(qtbot, editor)
    assert box.windowTitle() == "The keyring is locked"
    assert "profile/" not in box.text() and "Failed to unlock" not in box.text()
    assert [b.text() for b in box.buttons()].count("Keep for this session only") == 1
    assert editor.form.secret() == "typed-secret" and editor.form.name_edit.text() == "Support"
    with qtbot.waitSignal(editor.profiles_changed):
        box.button(QMessageBox.StandardButton.Retry).click()
    assert saved_names(tmp_path) == ["Support"] and list(backend.saved.values()) == ["typed-secret"]


def test_keep_for_this_session_saves_the_profile_and_keeps_the_secret_in_memory(qtbot: QtBot,
                                                                                tmp_path: Path) -> None:
    backend = LockedKeyring(refusals=99)
    editor, manager = editor_with(qtbot, tmp_path, backend)
    box = press_save_and_get_choice(qtbot, editor)
    keep = next(b for b in box.buttons() if b.text() == "Keep for this session only")
    with qtbot.waitSignal(editor.profiles_changed) as changed:
        keep.click()
    profile = manager.find(changed.args[0])
    assert profile is not None and manager.secret_for(profile) == "typed-secret" and backend.saved == {}
    assert editor.status_label.text() == "Saved 'Support'. Secret kept in this session only."
    assert "typed-secret" not in (tmp_path / "profiles.json").read_text()


def test_cancel_keeps_everything_typed(qtbot: QtBot, tmp_path: Path) -> None:
    editor, _ = editor_with(qtbot, tmp_path, LockedKeyring(refusals=99))
    box = press_save_and_get_choice(qtbot, editor)
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: editor.keyring_choice is None)
    assert saved_names(tmp_path) == []
    assert editor.form.name_edit.text() == "Support" and editor.form.secret() == "typed-secret"
    assert editor.status_label.text() == "Not saved yet. Everything you typed is still here."


def test_no_keyring_is_explained_once_in_words(qtbot: QtBot, tmp_path: Path) -> None:
    editor, _ = editor_with(qtbot, tmp_path, fail.Keyring())
    texts = [w.text() for w in editor.findChildren(QLabel) if w.isVisible()] + [
        w.toolTip() for w in editor.findChildren(QWidget) if w.toolTip()]
    assert sum("keyring" in text.casefold() for text in texts) == 1
    warning = editor.keyring_warning.text()
    assert "would lose secrets or write them to a plain file" in warning and "start your desktop's keyring" in warning
    assert "the keyring set up here is a keyring that stores nothing, which" in warning
    assert "(fail)" not in warning
    assert "it is not an OS keyring" not in " ".join(texts)
